/**
 * Valid Fargate task sizes (CPU units → memory MiB), from the ECS task definition docs.
 * Pure: no Pulumi, so the check runs before any resource is registered.
 */

interface SizeRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** CPU units → memory range. 256 CPU is the one size with an irregular list. */
const RANGES: ReadonlyMap<number, readonly number[] | SizeRange> = new Map<number, readonly number[] | SizeRange>([
  [256, [512, 1024, 2048]],
  [512, { min: 1024, max: 4096, step: 1024 }],
  [1024, { min: 2048, max: 8192, step: 1024 }],
  [2048, { min: 4096, max: 16384, step: 1024 }],
  [4096, { min: 8192, max: 30720, step: 1024 }],
  [8192, { min: 16384, max: 61440, step: 4096 }],
  [16384, { min: 32768, max: 122880, step: 8192 }],
]);

/** The CPU values Fargate accepts, ascending. */
export const FARGATE_CPU_VALUES: readonly number[] = [...RANGES.keys()];

/** Every memory value Fargate accepts with `cpu`; empty for an invalid cpu. */
export function fargateMemoryValues(cpu: number): number[] {
  const range = RANGES.get(cpu);
  if (range === undefined) return [];
  if (Array.isArray(range)) return [...range];
  const { min, max, step } = range as SizeRange;
  const values: number[] = [];
  for (let m = min; m <= max; m += step) values.push(m);
  return values;
}

/** True when Fargate accepts this CPU/memory pair. */
export function isValidFargateSize(cpu: number, memory: number): boolean {
  return fargateMemoryValues(cpu).includes(memory);
}

/** Undefined when the pair is valid, else a message that lists what would be. */
export function fargateSizeError(cpu: number, memory: number): string | undefined {
  const memories = fargateMemoryValues(cpu);
  if (memories.length === 0) {
    return `cpu ${cpu} is not a Fargate size; use one of ${FARGATE_CPU_VALUES.join(", ")} (CPU units, 1024 = 1 vCPU)`;
  }
  if (!memories.includes(memory)) {
    const first = memories[0];
    const last = memories[memories.length - 1];
    return `memory ${memory} MiB is not valid with cpu ${cpu}; use ${memories.length <= 3 ? memories.join(", ") : `${first} to ${last} in steps of ${(memories[1] ?? 0) - (first ?? 0)}`} MiB`;
  }
  return undefined;
}
