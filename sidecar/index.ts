/**
 * `sqsd-worker/sidecar`: the daemon for programmatic use (tests, embedding, a custom entry).
 * `runSqsd` is the `sqsd` command as a function. `Daemon` is experimental until its typed
 * event API lands: today its log lines are its only output.
 */
export { main as runSqsd } from "./main";
export { loadConfig, ConfigError, VERSION, type Config } from "./config";
export { OPTIONS, optionSpec, type OptionName, type OptionSpec } from "./options";
export { Daemon, type DaemonOptions } from "./daemon";
export { createLogger, type Logger } from "./telemetry";
