/**
 * Where a daemon's CPU goes, from a V8 CPU profile of the bundle (`node --cpu-prof`): self time
 * grouped by origin (our modules, each package in node_modules, Node's internals, garbage
 * collection, idle), mapped back through the bundle's source map.
 *
 *   BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- --only 50 --rounds 1
 *   npx tsx bench/profile-summary.ts /tmp/prof/<file>.cpuprofile [bundle.cjs.map] [--functions]
 */
import { readFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A source file's group: "sidecar/poller.ts", "@smithy/core", "pino", … */
function groupOf(source: string): string {
  const nm = source.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = source.slice(nm + "node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const m = /(sidecar|bench)\/[^/]+\.ts$/.exec(source);
  return m ? m[0] : source;
}

function main(): void {
  const [file, mapArg] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  if (!file) throw new Error("usage: profile-summary <file.cpuprofile> [bundle.cjs.map] [--functions]");
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const map = mapArg ? new SourceMap(JSON.parse(readFileSync(mapArg, "utf8")) as SourceMapPayload) : undefined;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id)!;
    total += us;
    let group: string;
    let where = "";
    if (f.url === "") group = f.functionName || "(native)";
    else if (f.url.startsWith("node:")) group = "node internals";
    else if (map && f.url.endsWith(".cjs")) {
      const entry = map.findEntry(f.lineNumber, f.columnNumber);
      const source = "originalSource" in entry ? entry.originalSource : f.url;
      group = groupOf(source);
      where = "originalLine" in entry ? `${source.replace(/^.*node_modules\//, "")}:${entry.originalLine + 1}` : "";
    } else group = f.url;
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = `${f.functionName || "(anonymous)"} ${where || f.url.replace(/^.*\//, "")}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)} %  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`)
      .join("\n");
  console.log(`${(total / 1000).toFixed(0)} ms sampled\n\nby origin:\n${top(groups, 30)}`);
  if (process.argv.includes("--functions")) console.log(`\nby function (self time):\n${top(functions, 40)}`);
}

main();
