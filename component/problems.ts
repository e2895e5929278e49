/**
 * The list every argument check adds to: one line per problem, `<arg path>: <problem>; <fix>`.
 * Shared by validation.ts and the feature modules' own checks, so all problems are reported at once.
 */
export class Problems {
  readonly list: string[] = [];
  add(arg: string, problem: string, fix: string): void {
    this.list.push(`${arg}: ${problem}; ${fix}`);
  }
  range(arg: string, value: number | undefined, min: number, max: number, integer = true): void {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      this.add(arg, `${value} is out of range`, `use ${integer ? "a whole number " : ""}from ${min} to ${max}`);
    }
  }
  oneOf(arg: string, value: string | undefined, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value)) {
      this.add(arg, `"${value}" is not supported`, `use one of ${allowed.map((v) => `"${v}"`).join(", ")}`);
    }
  }
}

/** A plain string, or undefined for a value known only at deploy time (an Output or a promise). */
export function plain(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
