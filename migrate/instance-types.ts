/**
 * An EC2 instance type as a Fargate task size. The rule: the instance's vCPUs × 1024 CPU units
 * and its memory, rounded up to the nearest pair Fargate accepts (component/fargate-sizes.ts);
 * capped at Fargate's largest. The instance also ran the OS, Beanstalk's agents and nginx, so
 * the task gets at least what the app had; right-size later from Container Insights.
 */
import { FARGATE_CPU_VALUES, fargateMemoryValues } from "../component/fargate-sizes";

/** vCPUs and GiB of memory of one instance type. */
export interface InstanceShape {
  readonly vcpus: number;
  readonly memoryGiB: number;
}

/** Burstable (t2, t3, t3a, t4g) sizes: vCPUs and GiB (t3's; t2's small sizes have 1 vCPU). */
const BURSTABLE: Record<string, InstanceShape> = {
  nano: { vcpus: 2, memoryGiB: 0.5 },
  micro: { vcpus: 2, memoryGiB: 1 },
  small: { vcpus: 2, memoryGiB: 2 },
  medium: { vcpus: 2, memoryGiB: 4 },
  large: { vcpus: 2, memoryGiB: 8 },
  xlarge: { vcpus: 4, memoryGiB: 16 },
  "2xlarge": { vcpus: 8, memoryGiB: 32 },
};

/** GiB per vCPU of the fixed-performance families, by their letter: general purpose, compute, memory. */
const GIB_PER_VCPU: Record<string, number> = { m: 4, a: 2, c: 2, r: 8, x: 16, z: 8 };

/** The shape of an instance type such as "t3.medium" or "m6g.2xlarge"; undefined when not recognised. */
export function instanceShape(type: string): InstanceShape | undefined {
  const m = /^([a-z]+)(\d+)([a-z-]*)\.(\w+)$/.exec(type.trim().toLowerCase());
  if (!m) return undefined;
  const [, family = "", , , size = ""] = m;
  if (family === "t") return BURSTABLE[size];
  const perVcpu = GIB_PER_VCPU[family];
  if (perVcpu === undefined) return undefined;
  const vcpus = size === "medium" ? 1 : size === "large" ? 2 : size === "xlarge" ? 4 : /^(\d+)xlarge$/.test(size) ? 4 * Number(size.replace("xlarge", "")) : undefined;
  return vcpus === undefined ? undefined : { vcpus, memoryGiB: vcpus * perVcpu };
}

/** True for Graviton (Arm) types: the family's attributes contain "g" (m6g, t4g, c7gn). */
export const isGraviton = (type: string): boolean => /^[a-z]+\d+[a-z]*g[a-z]*\./.test(type.trim().toLowerCase());

/** The smallest valid Fargate pair with at least the shape's CPU and memory (the largest when none is). */
export function fargateSizeFor(shape: InstanceShape): { cpu: number; memory: number } {
  const wantCpu = shape.vcpus * 1024;
  const wantMemory = Math.ceil(shape.memoryGiB * 1024);
  for (const cpu of FARGATE_CPU_VALUES.filter((c) => c >= wantCpu)) {
    const memory = fargateMemoryValues(cpu).find((m) => m >= wantMemory);
    if (memory !== undefined) return { cpu, memory };
  }
  const largest = FARGATE_CPU_VALUES[FARGATE_CPU_VALUES.length - 1] as number;
  const memories = fargateMemoryValues(largest);
  return { cpu: largest, memory: memories[memories.length - 1] as number };
}
