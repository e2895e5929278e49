/**
 * How the daemon fails, each with its own exit code, so an operator can tell a typo in a
 * variable from a queue that is not there (yet) without reading the log.
 */

/** Exit codes of the `sqsd` command. */
export const EXIT_CODES = {
  /** Stopped cleanly (SIGTERM/SIGINT), or --help / --version. */
  ok: 0,
  /** An unexpected failure (a bug): the stack is printed. */
  unexpected: 1,
  /** A configuration error: an option is missing, malformed or out of range. */
  config: 2,
  /** The configuration is valid but the daemon cannot start with it: see {@link StartError}. */
  start: 3,
} as const;

/** A configuration error: every problem found, each naming the variable, value and range. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(problems.join("\n"), options);
  }
}

/** Why a valid configuration could not be started. */
export type StartFailure =
  /** The status endpoint's port is taken (or the address cannot be bound). */
  | "status-port-unavailable"
  /** The queue does not exist (or the URL names no queue). */
  | "queue-not-found"
  /** The credentials may not read the queue, or are not valid. */
  | "queue-access-denied"
  /** Credentials come from the SDK's chain (a profile, SSO…) and its file is missing beside the bundle. */
  | "sdk-missing";

/**
 * A runtime start failure: the options are well-formed, but the world does not match them
 * (port in use, queue missing, access denied). Retrying the same start fails the same way;
 * the underlying error is the `cause`.
 */
export class StartError extends Error {
  override name = "StartError";
  constructor(
    readonly failure: StartFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** `Name: message` of an error (or the value as text), for logs and event payloads. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** The value as an Error (SDK and socket failures already are; anything else is wrapped). */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err), { cause: err });
}
