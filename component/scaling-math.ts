/**
 * Scaling arithmetic, pure so it is tested without Pulumi. See docs/scaling.md.
 */

/**
 * Messages one task may have waiting or in flight so that the last one still starts within
 * `acceptableLatency` seconds, when each takes `messageProcessingTime` seconds:
 * floor(latency / time), at least 1. (Floor, not Copilot's ceil: ceil would overshoot the
 * promised latency by up to one message.)
 */
export function targetBacklogPerTask(acceptableLatency: number, messageProcessingTime: number): number {
  if (!(acceptableLatency > 0) || !Number.isFinite(acceptableLatency)) {
    throw new RangeError(`acceptableLatency must be a positive number of seconds, got ${acceptableLatency}`);
  }
  if (!(messageProcessingTime > 0) || !Number.isFinite(messageProcessingTime)) {
    throw new RangeError(`messageProcessingTime must be a positive number of seconds, got ${messageProcessingTime}`);
  }
  // Round first so 0.3 / 0.1 (= 2.9999999999999996) counts as 3.
  return Math.max(1, Math.floor(Number((acceptableLatency / messageProcessingTime).toFixed(9))));
}

/** Metric-math ids and expressions shared by the policies, the alarm and the docs. */
export const BACKLOG_PER_TASK_EXPRESSION = "(m1 + m2) / IF(FILL(m3, 0) > 0, m3, 1)";

/**
 * 1 while there is work (visible or in flight) and no task is running or wanted, else 0.
 * FILL: Container Insights sends no task-count datapoint for some idle services; missing = 0.
 */
export const WAKE_FROM_ZERO_EXPRESSION = "IF((m1 + m2) > 0 AND FILL(m3, 0) == 0 AND FILL(m4, 0) == 0, 1, 0)";

/** Stop timeout for the containers: the sidecar's drain plus 5 s of slack, at most Fargate's 120 s. */
export function stopTimeoutFor(drainTimeout: number): number {
  return Math.min(120, Math.ceil(drainTimeout) + 5);
}
