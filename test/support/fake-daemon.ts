/**
 * A stand-in for the daemon, used by harness.test.ts to exercise sidecar-process.ts:
 * prints pino-style JSON lines, echoes chosen env vars, exits 0 on SIGTERM.
 */
const log = (level: number, msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(JSON.stringify({ level, time: Date.now(), msg, ...extra }) + "\n");

log(30, "started", { args: process.argv.slice(2), env: { LEAK: process.env.SQSD_HARNESS_LEAK ?? null, LogLevel: process.env.LogLevel } });
process.stdout.write("not json\n");
process.stderr.write("something on stderr\n");
const timer = setInterval(() => log(20, "tick"), 50);
process.on("SIGTERM", () => {
  clearInterval(timer);
  log(30, "stopping");
  process.exit(0);
});
