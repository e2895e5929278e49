/**
 * Prints the simulator's tables for docs/scaling.md: the deployed design next to the previous
 * one (bf1546f), for metric delays of 0 to 5 minutes, then the other scenarios.
 * Run: npm run sim
 */
import { allDone, longestWait, minutesToMin } from "./measures";
import { previousDesign } from "./previous-design";
import { behaviourCases, burst, DELAYS, drain, jittery, late, longMessage, oneMessage, run, SETTINGS, type Case } from "./scenarios";
import type { Outcome } from "./world";

const seconds = (s: number) => (Number.isFinite(s) ? `${s} s` : "never");
const minutes = (m: number) => (Number.isFinite(m) ? `${m} min` : "never");
const wake = (o: Outcome) => (allDone(o) ? seconds(longestWait(o)) : "never");
const fleet = (o: Outcome) => `${o.peakDesired} / ${allDone(o) ? seconds(longestWait(o)) : "unfinished"}`;
const drained = (o: Outcome) => (allDone(o) ? `${minutes(minutesToMin(o))}, ${o.service.stoppedHolding}` : "unfinished");
const kept = (o: Outcome) => `${o.service.launched}, ${o.service.stoppedBeforeWork}`;

/** "deployed (previous)" for one case and one measure. */
function cell(c: Case, measure: (o: Outcome) => string): string {
  return `${measure(run(c).outcome)} (${measure(run(c, previousDesign).outcome)})`;
}

function delayTable(): string[] {
  const rows = DELAYS.map((d) => {
    const cells = [
      cell(oneMessage("", late(d)), wake),
      cell(longMessage("", late(d)), (o) => String(o.peakDesired)),
      cell(burst("", { containerInsights: late(d) }), fleet),
      cell(oneMessage("", jittery(d)), kept),
      cell(burst("", { sqs: late(d) }), fleet),
      cell(drain("", { sqs: late(d), containerInsights: late(d) }), drained),
    ];
    return `| ${d} | ${cells.join(" | ")} |`;
  });
  return [
    "| delay (min) | (a) SQS late: 1 message at zero, received after | (b) CI late: tasks for one 10-min message | (c) CI late: burst of 3000 (needs 10), peak tasks / longest wait | (d) SQS alternately on time and late: tasks launched for 1 message, stopped before receiving | SQS late: burst of 3000, peak / longest wait | both late: drain of 120 ten-minute messages, 0 tasks after the last, tasks stopped holding one |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ];
}

function otherTable(): string[] {
  const rows = behaviourCases().map((c) => {
    const o = run(c).outcome;
    return `| ${c.name} | ${o.peakDesired} | ${allDone(o) ? seconds(longestWait(o)) : "unfinished"} | ${o.service.launched} | ${minutes(minutesToMin(o))} |`;
  });
  return ["| scenario | peak tasks | longest wait | tasks launched | to 0 tasks after the last message |", "| --- | --- | --- | --- | --- |", ...rows];
}

const setup = [
  `Settings: minCount ${SETTINGS.minCount}, maxCount ${SETTINGS.maxCount}, acceptableLatency ${SETTINGS.acceptableLatency} s, messageProcessingTime ${SETTINGS.messageProcessingTime} s (target 300 per task),`,
  `scaleOutCooldown ${SETTINGS.scaleOutCooldown} s (the default; the previous design: 60), scaleInCooldown ${SETTINGS.scaleInCooldown} s; tasks start in 60 s; alarms retrieve evaluation periods + 2 (the docs' example).`,
  "Cells: deployed design (previous design, bf1546f).",
];

console.log([...setup, "", ...delayTable(), "", ...otherTable()].join("\n"));
