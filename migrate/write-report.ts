/**
 * MIGRATION.md: every input setting once, with where it came from and what became of it —
 * the argument, "changed" with the rule used, or "not carried over" with the reason and what to
 * do instead — then what the migrator decided on its own and what is left before `pulumi up`.
 */
import type { Split } from "./environments";
import type { MigrationPlan } from "./plan";
import { tally, type Row } from "./report-rows";
import { requiredConfig } from "./write-stacks";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (text: string): string => (text === "" ? "" : `\`${text.replace(/`/g, "'")}\``);

export function outcomeLabel(r: Row): string {
  return r.outcome === "unknown" ? "not carried over (unknown)" : r.outcome;
}

/** "12 settings: 5 mapped, 3 changed, 4 not carried over (1 of them unknown)". */
export function summary(rows: readonly Row[]): string {
  const t = tally(rows);
  return `${rows.length} settings: ${t.mapped} mapped, ${t.changed} changed, ${t["not carried over"] + t.unknown} not carried over (${t.unknown} of them unknown)`;
}

export interface ReportContext {
  readonly command: string;
  readonly format: "ts" | "yaml";
  /** Problems the component's validation found in the generated arguments. */
  readonly problems: readonly string[];
}

export function migrationReport(plan: MigrationPlan, split: Split, ctx: ReportContext): string {
  const lines = [
    "# Migration report",
    "",
    `\`${ctx.command}\` turned the ${plan.tool === "beanstalk" ? "Elastic Beanstalk worker environment" : "Copilot Worker Service"} into a ${ctx.format === "ts" ? "TypeScript" : "YAML"} Pulumi program using \`WorkerEnvironment\` (stacks: ${plan.stacks.join(", ")}).`,
    "",
    "Inputs, in the order they apply:",
    "",
    ...plan.inputs.map((i) => `- ${i}`),
    "",
    plan.precedence,
    "",
    `**${summary(plan.rows)}.**`,
    "",
    "## Every setting",
    "",
    "| setting | value | from | outcome | became | notes |",
    "| --- | --- | --- | --- | --- | --- |",
    ...plan.rows.map((r) => `| ${cell(code(r.key))} | ${cell(code(r.value))} | ${cell(r.source)} | ${outcomeLabel(r)} | ${cell(r.args.map(code).join(", "))} | ${cell(r.note)} |`),
    "",
    "## Decided for you",
    "",
    ...plan.decisions.map((d) => `- ${d}`),
    ...(plan.cron !== undefined ? [`- \`cronFile: "./cron.yaml"\`: ${plan.cron.from} is copied beside the program; its entries become EventBridge Scheduler schedules.`] : []),
    ...(split.values.size > 0 ? [`- Values that differ between stacks are stack config: ${[...split.values.keys()].map(code).join(", ")} (in each Pulumi.<stack>.yaml).`] : []),
    "",
    "## Before `pulumi up`",
    "",
  ];
  const steps = [
    ctx.format === "ts" ? "`npm install` in this folder (it depends on `sqsd-worker`, `@pulumi/pulumi` and `@pulumi/aws`)." : "Add the sqsd-worker package: `pulumi package add https://github.com/<owner>/sqsd-worker.git/provider@v<version>` (docs/multi-language.md).",
    `Create the stack${plan.stacks.length > 1 ? "s" : ""}: ${plan.stacks.map((s) => `\`pulumi stack init ${s}\``).join(", ")} (each keeps its Pulumi.<stack>.yaml).`,
    ...plan.stacks.filter((s) => !plan.regions.has(s)).map((s) => `\`pulumi config set --stack ${s} aws:region <region>\``),
    ...[...requiredConfig(split).values()].map((r) => `\`pulumi config set${r.secret ? " --secret" : ""} ${r.key} <value>\` in every stack: ${r.hint}.`),
    ...ctx.problems.map((p) => `Fix in index.ts (the component refuses it at preview): ${p}`),
    "Go through the rows marked **not carried over**: each says what to do instead.",
    "`pulumi preview`, then `pulumi up`; send a test message to the `queueUrl` output and watch `appLogGroupName`.",
  ];
  steps.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
  return `${lines.join("\n")}\n`;
}
