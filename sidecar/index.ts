/**
 * `sqsd-worker/sidecar`: the daemon for programmatic use (embedding, tests, a custom entry).
 * `runSqsd` is the `sqsd` command as a function; `Daemon` is the daemon itself, whose typed
 * events (`daemon.on("delivered", …)`) tell everything that happens to each message.
 */
export { main as runSqsd } from "./main";
export { loadConfig, type Config } from "./config";
export { VERSION } from "./version";
export { ConfigError, StartError, EXIT_CODES, type StartFailure } from "./errors";
export { OPTIONS, optionSpec, type OptionName, type OptionSpec } from "./options";
export { Daemon, type DaemonOptions, type DaemonSnapshot } from "./daemon";
export { DAEMON_EVENT_NAMES, type DaemonEvent, type DaemonEventName, type DaemonEvents, type MessageInfo, type ReleaseReason } from "./daemon-events";
export type { RedrivePolicy } from "./queue-inspection";
export type { Listener } from "./typed-emitter";
export { createLogger, COUNTERS, type Counter, type Logger } from "./telemetry";
