/**
 * The daemon as a command: parse, validate, run until SIGTERM/SIGINT, exit with a meaningful
 * code (errors.ts EXIT_CODES). This module never starts itself: sidecar/bin.ts is the one
 * entry point (run from source, bundled into dist/sqsd.cjs), so the bundle cannot run the
 * daemon twice.
 */
import { inspect } from "node:util";
import { loadConfig, type Config } from "./config";
import { Daemon } from "./daemon";
import { ConfigError, EXIT_CODES, StartError } from "./errors";
import { peerVariablesSet } from "./peer-variables";
import { createLogger } from "./telemetry";

function configProblems(err: ConfigError, hint: string): string {
  return `sqsd: configuration error\n${err.problems.map((p) => `  - ${p}`).join("\n")}\n${hint}`;
}

/** The CLI flags' values; undefined when the command line ended the run (--help, --version, a bad flag: `exitCode`). */
async function parseFlags(argv: string[]): Promise<{ flags: Parameters<typeof loadConfig>[0] } | { exitCode: number }> {
  // No arguments (the image, configured by environment): commander and what it loads
  // (child_process among them, ~2.5 MiB of RSS) stay out of the process.
  if (argv.length === 0) return { flags: {} };
  const { buildProgram, flagValues } = await import("./cli.js");
  const program = buildProgram();
  program.exitOverride();
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    // --help and --version end here with exit code 0; a bad flag with commander's own code.
    const code = (err as { exitCode?: number }).exitCode ?? EXIT_CODES.config;
    return { exitCode: code === 0 ? EXIT_CODES.ok : EXIT_CODES.config };
  }
  return { flags: flagValues(program) };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = await parseFlags(argv);
  if ("exitCode" in parsed) return parsed.exitCode;
  let cfg: Config;
  try {
    cfg = loadConfig(parsed.flags, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(configProblems(err, "Run sqsd --help for every option.\n"));
    return EXIT_CODES.config;
  }
  const log = createLogger(cfg.logLevel);
  for (const p of peerVariablesSet(env)) if (p.action === "unused") log.warn({ variable: p.variable, reason: p.reason }, "simple-sqsd variable not used");
  const daemon = new Daemon(cfg, log);
  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) {
        log.warn({ signal }, "second signal: aborting requests in flight and waiting receives");
        daemon.hurry();
        return;
      }
      log.info({ signal }, "signal received");
      void daemon.stop(signal).then(resolve);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
  try {
    await daemon.start();
  } catch (err) {
    if (!(err instanceof StartError || err instanceof ConfigError)) throw err;
    const code = err instanceof StartError ? EXIT_CODES.start : EXIT_CODES.config;
    log.fatal({ failure: err instanceof StartError ? err.failure : "configuration", err: err.message }, "cannot start");
    log.flush();
    process.stderr.write(err instanceof ConfigError ? configProblems(err, "") : `sqsd: cannot start (${err.failure})\n  ${err.message}\n`);
    await daemon.stop(err instanceof StartError ? err.failure : "configuration error");
    return code;
  }
  await stopped;
  await new Promise<void>((resolve) => log.flush(() => resolve()));
  return EXIT_CODES.ok;
}

/** Run as a process: exit with main's code; an unexpected failure exits 1 with its stack and causes. */
export function run(): void {
  const crash = (err: unknown) => {
    process.stderr.write(`sqsd: unexpected failure: ${inspect(err, { depth: 4 })}\n`);
    process.exit(EXIT_CODES.unexpected);
  };
  process.on("unhandledRejection", crash);
  main(process.argv.slice(2), process.env).then((code) => process.exit(code), crash);
}
