/**
 * What the `sqsd-worker` commands read and write, injectable for tests: output lines,
 * errors, stdin, and the terminal when there is one (for progress bars and questions).
 */
import { readFileSync } from "node:fs";
import { terminalAsk, type Ask } from "./confirm";
import type { Terminal } from "./progress";

export interface CliIo {
  out(line: string): void;
  err(text: string): void;
  stdin(): string;
  /** Set when stdin and stderr are a terminal: ask a question and read the answer. */
  ask?: Ask;
  /** Set when stdout is a terminal: progress bars are drawn on it. */
  tty?: Terminal;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (text) => process.stderr.write(text),
    stdin: () => readFileSync(0, "utf8"),
    ask: process.stdin.isTTY && process.stderr.isTTY ? terminalAsk : undefined,
    tty: process.stdout.isTTY ? { write: (text) => process.stdout.write(text), columns: process.stdout.columns } : undefined,
  };
}
