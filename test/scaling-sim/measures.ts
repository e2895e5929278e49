/** What the scenarios assert and the report prints, read off a simulation's outcome. */
import type { Outcome } from "./world";

/** Seconds from sending to the first receive, the longest over all messages (Infinity: one never received). */
export function longestWait(o: Outcome): number {
  return Math.max(...o.messages.map((m) => (m.receivedAt ?? Infinity) - m.sentAt));
}

export function allDone(o: Outcome): boolean {
  return o.messages.every((m) => m.doneAt !== undefined);
}

/** Most messages waiting or in flight at a minute boundary. */
export function peakBacklog(o: Outcome): number {
  return Math.max(0, ...o.minutes.map((m) => m.visible + m.inFlight));
}

/** Tasks the peak backlog calls for: ceil(backlog / target), within [1, maxCount]. */
export function tasksNeeded(o: Outcome): number {
  return Math.min(o.definition.maxCapacity, Math.max(1, Math.ceil(peakBacklog(o) / o.targetBacklogPerTask)));
}

/** Minutes from the last message done to the desired count reaching minCount (Infinity: never). */
export function minutesToMin(o: Outcome): number {
  const lastDone = Math.max(...o.messages.map((m) => m.doneAt ?? Infinity));
  const at = o.minutes.find((m) => m.t >= lastDone && m.desired === o.definition.minCapacity)?.t;
  return at === undefined ? Infinity : Math.ceil((at - lastDone) / 60);
}
