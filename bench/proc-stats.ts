/**
 * CPU time and memory of another process, read from /proc (Linux), so both daemons are
 * measured the same way from outside, whatever language they are written in.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim();
    ticksPerSecond = Number(out) > 0 ? Number(out) : 100;
  }
  return ticksPerSecond;
}

/** User + system CPU seconds of `pid` so far, all threads (utime and stime of /proc/pid/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

function statusKiB(pid: number | "self", key: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : NaN;
}

/** Peak resident set size (VmHWM) in MiB. */
export function peakRssMiB(pid: number | "self"): number {
  return statusKiB(pid, "VmHWM") / 1024;
}

/** Resident set size now (VmRSS) in MiB. */
export function rssMiB(pid: number | "self"): number {
  return statusKiB(pid, "VmRSS") / 1024;
}
