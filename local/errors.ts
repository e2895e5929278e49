/**
 * The two ways local mode fails, each with its exit code: a usage or configuration problem
 * (exit 2, nothing was started or everything was stopped again; the sidecar's StartError,
 * e.g. its StatusPort taken, counts as one, like local mode's own ports in use) and a failure
 * while running (exit 1, e.g. the app crashed).
 */
export { ConfigError, StartError } from "../sidecar/errors";

/** A failure while running, e.g. the app process exited: exit code 1. */
export class RunError extends Error {
  override name = "RunError";
}

/** stop() was called while the session was still starting (e.g. Ctrl-C): not an error to report. */
export class StoppedError extends Error {
  override name = "StoppedError";
}
