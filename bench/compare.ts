/**
 * Side by side: every scenario runs each contender in turn, round after round, the order
 * flipped every round so a machine that slows down during the run hurts both alike. Figures
 * are medians over the rounds with their range; ratios are taken within a round (the same
 * minute of this noisy machine) and then summarised the same way.
 */
import type { SqsServer } from "../test/support/sqs-server";
import { startBenchApp } from "./app";
import type { Contender } from "./daemons";
import { startSqsProxy } from "./latency-proxy";
import { runOnce, type RunFigures, type Scenario } from "./scenario";
import { median, medianAndRange } from "./stats";

export interface ScenarioResult {
  scenario: Scenario;
  /** Per contender (in the order given), its figures round by round. */
  runs: Map<string, RunFigures[]>;
}

export async function compare(server: SqsServer, contenders: Contender[], scenarios: Scenario[], rounds: number, onResult: (r: ScenarioResult) => void): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    const app = await startBenchApp(s.appDelayMs);
    const proxy = s.latency ? await startSqsProxy(server.endpoint, s.latency) : undefined;
    const runs = new Map<string, RunFigures[]>(contenders.map((c) => [c.name, []]));
    try {
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? contenders : [...contenders].reverse();
        for (const c of order) runs.get(c.name)!.push(await runOnce(server, c, s, app, proxy));
      }
    } finally {
      await proxy?.close();
      await app.close();
    }
    const result = { scenario: s, runs };
    results.push(result);
    onResult(result);
  }
  return results;
}

const f0 = (n: number) => Math.round(n).toLocaleString("en-US");

/** Calls per 1,000 messages, e.g. "R 104, D 112" (receives, delete batches; visibility changes when any). */
function callsPer1k(runs: RunFigures[], messages: number): string {
  const per = (action: string) => median(runs.map((f) => f.calls[action] ?? 0)) / (messages / 1000);
  if (runs.every((f) => Object.keys(f.calls).length === 0)) return "";
  const parts = [`R ${f0(per("ReceiveMessage"))}`, `D ${f0(per("DeleteMessageBatch"))}`];
  const cv = per("ChangeMessageVisibilityBatch");
  if (cv > 0) parts.push(`V ${f0(cv)}`);
  return parts.join(", ");
}

export const COMPARE_HEADER = [
  "| scenario | daemon | msg/s median (range) | first ÷ this, msg/s | CPU s / 10k msgs | first ÷ this, CPU | peak RSS MiB | SQS calls / 1k msgs | app connections / 1k msgs |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
];

/** Table rows of one scenario: the first contender, then each other with the ratios to it. */
export function compareRows(r: ScenarioResult): string[] {
  const mine = r.runs.values().next().value;
  if (!mine) return [];
  const n = r.scenario.messages;
  return [...r.runs.entries()].map(([name, runs]) => {
    const isFirst = runs === mine;
    // Within-round ratios: round i of the first contender against round i of this one.
    const rate = isFirst ? "" : medianAndRange(runs.map((f, i) => mine[i]!.msgPerSec / f.msgPerSec), 2);
    const cpu = isFirst ? "" : medianAndRange(runs.map((f, i) => mine[i]!.cpuPer10k / f.cpuPer10k), 2);
    return [
      "",
      r.scenario.label,
      name,
      medianAndRange(runs.map((f) => f.msgPerSec)),
      rate,
      medianAndRange(runs.map((f) => f.cpuPer10k), 2),
      cpu,
      medianAndRange(runs.map((f) => f.peakRssMiB)),
      callsPer1k(runs, n),
      f0(median(runs.map((f) => f.appConnections)) / (n / 1000)),
      "",
    ].join(" | ").trim();
  });
}

/** Runs in which some message was posted more than once (a redelivery: the figures are suspect). */
export function duplicates(r: ScenarioResult): string[] {
  return [...r.runs.entries()].flatMap(([name, runs]) => runs.filter((f) => f.posts > r.scenario.messages).map((f) => `${r.scenario.label}, ${name}: ${f.posts} posts for ${r.scenario.messages} messages`));
}
