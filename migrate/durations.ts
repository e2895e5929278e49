/**
 * Copilot's durations are Go's (`30s`, `1m30s`, `250ms`, `96h`); WorkerEnvironment takes seconds.
 */

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a Go duration string, or undefined when it is not one. */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text === "0") return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] as string] as number), 0);
  return Math.round(seconds * 1e6) / 1e6;
}

/** Whole seconds of a duration (rounded up), with whether rounding changed it. */
export function wholeSeconds(value: unknown): { seconds: number; rounded: boolean } | undefined {
  const s = durationSeconds(value);
  if (s === undefined) return undefined;
  const whole = Math.ceil(s);
  return { seconds: whole, rounded: whole !== s };
}
