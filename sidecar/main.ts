/**
 * The daemon as a command: parse, validate, run until SIGTERM/SIGINT, exit with a meaningful
 * code. This module never starts itself: sidecar/bin.ts is the one entry point (run from
 * source, bundled into dist/sqsd.cjs), so the bundle cannot run the daemon twice.
 */
import { buildProgram, flagValues } from "./cli";
import { ConfigError, loadConfig } from "./config";
import { Daemon } from "./daemon";
import { createLogger } from "./telemetry";

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode ?? 2;
    return code === 0 ? 0 : 2;
  }
  let cfg;
  try {
    cfg = loadConfig(flagValues(program), env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`sqsd: configuration error\n${err.problems.map((p) => `  - ${p}`).join("\n")}\nRun sqsd --help for every option.\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger(cfg.logLevel);
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
    if (err instanceof ConfigError) {
      log.fatal({ problems: err.problems }, "configuration error");
      log.flush();
      process.stderr.write(`sqsd: configuration error\n${err.problems.map((p) => `  - ${p}`).join("\n")}\n`);
      await daemon.stop("configuration error");
      return 2;
    }
    throw err;
  }
  await stopped;
  await new Promise<void>((resolve) => log.flush(() => resolve()));
  return 0;
}

/** Run as a process: exit with main's code; an unexpected failure exits 1 with its stack. */
export function run(): void {
  const crash = (err: unknown) => {
    process.stderr.write(`sqsd: unexpected failure: ${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  };
  process.on("unhandledRejection", crash);
  main(process.argv.slice(2), process.env).then((code) => process.exit(code), crash);
}
