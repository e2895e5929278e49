/**
 * A stand-in for the daemon, used by harness.test.ts to exercise sidecar-process.ts:
 * prints JSON lines shaped like the daemon's (level labels), echoes chosen env vars, exits 0
 * on SIGTERM.
 */
const log = (level: "debug" | "info", msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(JSON.stringify({ level, time: Date.now(), msg, ...extra }) + "\n");

log("info", "started", { args: process.argv.slice(2), env: { LEAK: process.env.SQSD_HARNESS_LEAK ?? null, LogLevel: process.env.LogLevel } });
process.stdout.write("not json\n");
process.stderr.write("something on stderr\n");
const timer = setInterval(() => log("debug", "tick"), 50);
process.on("SIGTERM", () => {
  clearInterval(timer);
  log("info", "stopping");
  process.exit(0);
});
