/**
 * simple-sqsd variables that no option reads, so none is silently ignored: one that would
 * change what happens to messages is refused at start with the way to get it; one the
 * daemon does not need is reported at start, once, with why.
 */

export interface PeerVariable {
  readonly variable: string;
  /** "refuse": a configuration error. "unused": a warning at start. */
  readonly action: "refuse" | "unused";
  readonly reason: string;
}

export const PEER_VARIABLES: readonly PeerVariable[] = [
  {
    variable: "SQSD_CRON_FILE",
    action: "refuse",
    reason:
      "sqsd runs no cron.yaml itself (every replica would run each job); periodic tasks arrive through the queue. Give the file to WorkerEnvironment's cronFile (EventBridge Scheduler sends them) or to `sqsd-worker local --cron`, and unset SQSD_CRON_FILE",
  },
  { variable: "SQSD_CRON_ENDPOINT", action: "unused", reason: "meaningful only with SQSD_CRON_FILE; a periodic task is posted to its cron.yaml url on the app (HttpUrl's origin)" },
  { variable: "SQSD_CRON_TIMEOUT", action: "unused", reason: "meaningful only with SQSD_CRON_FILE; a periodic task gets InactivityTimeout like every message" },
  { variable: "SQSD_HTTP_HEALTH_WAIT", action: "unused", reason: "not needed: sqsd checks the app every HealthCheckInterval from the start and receives nothing until it is healthy" },
  { variable: "SQSD_SQS_HTTP_TIMEOUT", action: "unused", reason: "not needed: sqsd times each SQS call itself (a receive gets WaitTime plus 10 s)" },
];

/** The peer variables set (non-empty) in `env`, with what to do about each. */
export function peerVariablesSet(env: NodeJS.ProcessEnv): PeerVariable[] {
  return PEER_VARIABLES.filter((p) => (env[p.variable] ?? "") !== "");
}
