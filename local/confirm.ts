/**
 * The guard in front of what moves or deletes messages (DLQ redrive and purge): a y/N
 * question on a terminal, `--yes` for scripts. Without a terminal and without `--yes` the
 * command is refused before it reads or changes anything (exit 2), so a script never
 * hangs on a question nobody sees and never purges by accident.
 */
import { createInterface } from "node:readline/promises";
import { ConfigError } from "./errors";

/** Ask a question on the terminal; resolves with the answer typed. */
export type Ask = (question: string) => Promise<string>;

/** Resolves true to go on. */
export type Confirm = (question: string) => Promise<boolean>;

/** The user answered no (or nothing): nothing was changed. Exit code 1. */
export class DeclinedError extends Error {
  override name = "DeclinedError";
}

/**
 * The confirmation for `what` (e.g. "dlq purge"): `--yes` confirms; else the terminal asks;
 * with neither, a ConfigError at once.
 */
export function confirmation(what: string, yes: boolean, ask: Ask | undefined): Confirm {
  if (yes) return () => Promise.resolve(true);
  if (!ask) throw new ConfigError([`${what} needs a confirmation and there is no terminal to ask on: pass --yes to confirm`]);
  return async (question) => /^y(es)?$/i.test((await ask(`${question} [y/N] `)).trim());
}

/** Ask on stdin/stderr (stdout stays clean for the command's output). */
export const terminalAsk: Ask = async (question) => {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
};
