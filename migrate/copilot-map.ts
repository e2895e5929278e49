/**
 * A Copilot Worker Service manifest → a migration plan: the manifest walked field by field
 * through its rules (copilot-rules.ts), once as written and once merged with each environment's
 * override (each environment one stack); a field no rule knows is reported as unknown; a topic
 * with a queue of its own gets a WorkerEnvironment of its own.
 */
import { COPILOT_RULES } from "./copilot-rules";
import type { CopilotContext, TopicTarget, Where } from "./copilot-context";
import { isMap, mergeOverride, type CopilotInput, type Manifest } from "./copilot-read";
import { MigrateInputError } from "./errors";
import { componentName, pulumiName, regionIn } from "./names";
import type { MigrationPlan, WorkerPlan } from "./plan";
import { display, notCarried, unknownSetting, type Disposition, type Row } from "./report-rows";
import type { KeyPath } from "./source-file";
import { ArgsTree, isArgMap, RequiredConfig, type ArgMap, type ArgValue } from "./values";

const ITEM = "[]";
const PLACEHOLDERS = ["<name>", "<volume>", "<key>"];

/** "subscribe.topics[].queue" → ["subscribe", "topics", "[]", "queue"]. */
const segmentsOf = (pattern: string): string[] => pattern.split(".").flatMap((s) => (s.endsWith(ITEM) ? [s.slice(0, -2), ITEM] : [s]));
const patternOf = (segments: readonly string[]): string => segments.reduce((p, s) => (s === ITEM ? `${p}${ITEM}` : p === "" ? s : `${p}.${s}`), "");

/** Every prefix of every rule's pattern, as pattern strings. */
const PREFIXES: ReadonlySet<string> = new Set([...COPILOT_RULES.keys()].flatMap((p) => segmentsOf(p).map((_s, i, all) => patternOf(all.slice(0, i + 1)))));

/** The report's form of a path: subscribe.topics[0].queue. */
export const keyOf = (path: KeyPath): string => path.reduce<string>((k, s) => (typeof s === "number" ? `${k}[${s}]` : k === "" ? s : `${k}.${s}`), "");

/** Fields of other Copilot service types, for a clearer "unknown". */
const OTHER_SERVICE_FIELDS: Record<string, string> = { http: "Load Balanced Web Service / Backend Service", nlb: "Load Balanced Web Service", on: "Scheduled Job", retries: "Scheduled Job", timeout: "Scheduled Job" };

interface Emit {
  (path: KeyPath, value: unknown, d: Disposition, rule: string): void;
}

function walk(value: unknown, path: KeyPath, segments: readonly string[], where: Omit<Where, "path">, ctx: CopilotContext, emit: Emit): void {
  const pattern = patternOf(segments);
  const rule = COPILOT_RULES.get(pattern);
  const at: Where = { ...where, path };
  const ruleId = `copilot:${pattern}`;
  const listItems = PREFIXES.has(patternOf([...segments, ITEM]));
  const whole = typeof rule?.whole === "function" ? rule.whole(value) : rule?.whole === true;
  if (value === null || value === undefined) return emit(path, value, notCarried("empty"), ruleId);
  if (rule?.apply !== undefined && (whole || (!isMap(value) && !(Array.isArray(value) && listItems)))) {
    return emit(path, value, rule.apply(value, at, ctx), ruleId);
  }
  if (isMap(value)) {
    rule?.enter?.(value, at, ctx);
    for (const [key, child] of Object.entries(value)) {
      const literal = [...segments, key];
      const placeholder = PLACEHOLDERS.map((p) => [...segments, p]).find((s) => PREFIXES.has(patternOf(s)));
      const next = PREFIXES.has(patternOf(literal)) ? literal : placeholder;
      if (next === undefined) {
        const other = segments.length === 0 ? OTHER_SERVICE_FIELDS[key] : undefined;
        emit([...path, key], child, unknownSetting(other ? `a field of a ${other}, not of a Worker Service` : `not a field of a Worker Service manifest${segments.length > 0 ? ` under ${pattern}` : ""}`), "copilot:unknown");
        continue;
      }
      const names = next === placeholder ? [...where.names, key] : where.names;
      walk(child, [...path, key], next, { names, indexes: where.indexes }, ctx, emit);
    }
    return;
  }
  if (Array.isArray(value) && listItems) {
    value.forEach((item, i) => walk(item, [...path, i], [...segments, ITEM], { names: where.names, indexes: [...where.indexes, i] }, ctx, emit));
    return;
  }
  emit(path, value, unknownSetting(`${pattern} takes a mapping of fields here, not ${JSON.stringify(value)}`), "copilot:unknown");
}

/** Arguments a topic's own worker does not share with the service's. */
const OWN_ARGUMENTS = ["queue", "existingQueue", "maxRetries", "snsSubscriptions", "cronFile", "periodicTasks", "eventRules"];

interface Mapped {
  readonly main: ArgMap;
  /** Topic workers by topic index: name and arguments. */
  readonly topics: Map<number, { name: string; args: ArgMap }>;
}

function clone(v: ArgValue): ArgValue {
  if (Array.isArray(v)) return v.map(clone);
  if (isArgMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}

function topicName(service: string, manifest: Manifest, index: number): string {
  const topics = isMap(manifest.subscribe) && Array.isArray(manifest.subscribe.topics) ? manifest.subscribe.topics : [];
  const topic = topics[index];
  return componentName(`${service}-${isMap(topic) && typeof topic.name === "string" ? topic.name : `topic${index}`}`);
}

/** Walk one manifest (the base, or merged for an environment). */
function mapManifest(manifest: Manifest, name: string, input: CopilotInput, outDir: string, emit: Emit): Mapped {
  const args = new ArgsTree();
  const topics = new Map<number, TopicTarget & { name: string }>();
  const ctx: CopilotContext = {
    manifest,
    args,
    workspace: input.workspace,
    outDir,
    serviceName: name,
    topic(index) {
      const known = topics.get(index);
      if (known !== undefined) return known;
      const list = isMap(manifest.subscribe) && Array.isArray(manifest.subscribe.topics) ? manifest.subscribe.topics : [];
      const topic = list[index];
      const own = isMap(topic) && (topic.queue === true || isMap(topic.queue));
      const topicName_ = topicName(name, manifest, index);
      const target = own ? new ArgsTree() : args;
      const subscription: ArgMap = {};
      target.push("snsSubscriptions", subscription);
      const made = { args: target, subscription, label: own ? `${topicName_}: ` : "", name: topicName_ };
      topics.set(index, made);
      return made;
    },
  };
  walk(manifest, [], [], { names: [], indexes: [] }, ctx, emit);
  if (args.get("app.image") === undefined && args.get("app.build") === undefined) {
    args.set("app.image", new RequiredConfig("appImage", "the URI of the app's image (the manifest names neither image.build nor image.location)", false, "registry.invalid/app:latest"));
  }
  const own = new Map<number, { name: string; args: ArgMap }>();
  for (const [index, t] of topics) {
    if (t.args === args) continue;
    const shared = Object.fromEntries(Object.entries(args.root).filter(([k]) => !OWN_ARGUMENTS.includes(k)).map(([k, v]) => [k, clone(v)]));
    own.set(index, { name: t.name, args: { ...shared, ...t.args.root } });
  }
  return { main: args.root, topics: own };
}

/** Does `override` hold a value at `path`? (Its rows are the environment's.) */
function holds(override: unknown, path: KeyPath): boolean {
  let node = override;
  for (const s of path) {
    if (typeof s === "number" ? !Array.isArray(node) || node[s] === undefined : !isMap(node) || !(s in node)) return false;
    node = typeof s === "number" ? (node as unknown[])[s] : (node as Manifest)[s];
  }
  return true;
}

export interface CopilotOptions {
  readonly outDir: string;
  readonly name?: string;
}

export function planCopilot(input: CopilotInput, opts: CopilotOptions): MigrationPlan {
  const name = componentName(opts.name ?? (typeof input.base.name === "string" ? input.base.name : undefined));
  const rows: Row[] = [];
  const row = (prefix: KeyPath, note: string) => (path: KeyPath, value: unknown, d: Disposition, rule: string): void => {
    const full = [...prefix, ...path];
    rows.push({ key: keyOf(full), value: d.secret === true ? "(hidden)" : display(value), source: input.source.where(full), outcome: d.outcome, args: d.args, note: [note, d.note].filter((n) => n !== "").join(": "), rule: d.rule ?? rule });
  };
  const base = mapManifest(input.base, name, input, opts.outDir, row([], ""));
  const stacks = input.overrides.size > 0 ? [...input.overrides.keys()].map((e) => pulumiName(e, "dev")) : ["dev"];
  const perStack = new Map<string, Mapped>();
  if (input.overrides.size === 0) perStack.set("dev", base);
  for (const [env, override] of input.overrides) {
    const stack = pulumiName(env, "dev");
    const mapped = mapManifest(mergeOverride(input.base, override) as Manifest, name, input, opts.outDir, (path, value, d, rule) => {
      if (holds(override, path)) row(["environments", env], `stack ${stack}`)(path, value, d, rule);
    });
    perStack.set(stack, mapped);
    if (Object.keys(override).length === 0) {
      rows.push({ key: `environments.${env}`, value: "", source: input.source.where(["environments", env]), outcome: "changed", args: [], note: `stack ${stack} (Pulumi.${stack}.yaml), with the manifest's values`, rule: "copilot:environments.<env>" });
    }
  }
  const topicIndexes = [...new Set([...perStack.values()].flatMap((m) => [...m.topics.keys()]))];
  for (const [stack, m] of perStack) {
    const missing = topicIndexes.filter((i) => !m.topics.has(i));
    if (missing.length > 0) throw new MigrateInputError([`${input.source.where(["environments"])}: stack ${stack} changes which subscribed topics have a queue of their own (subscribe.topics[${missing.join(", ")}]); give every environment the same topics`]);
  }
  const workers: WorkerPlan[] = [
    { name, args: new Map(stacks.map((s) => [s, (perStack.get(s) as Mapped).main])) },
    ...topicIndexes.map((i) => ({ name: (base.topics.get(i) ?? [...perStack.values()][0]?.topics.get(i))?.name ?? `${name}-topic${i}`, args: new Map(stacks.map((s) => [s, ((perStack.get(s) as Mapped).topics.get(i) as { args: ArgMap }).args])) })),
  ];
  const decisions = [`The component is named \`${name}\` (${opts.name ? "--name" : "the manifest's name"}); each environment is a stack: ${stacks.join(", ")}.`];
  if (topicIndexes.length > 0) decisions.push(`Each subscribed topic with a queue of its own gets a WorkerEnvironment of its own (${workers.slice(1).map((w) => w.name).join(", ")}), running the same app: one sqsd sidecar polls one queue.`);
  const region = regionIn(JSON.stringify(input.base) ?? "");
  return {
    tool: "copilot",
    inputs: [input.source.file],
    precedence: "Each `environments.<env>` override is merged onto the manifest as Copilot merges it (maps key by key, other values replace) and becomes the stack <env>; values that differ between stacks are read from stack config.",
    project: pulumiName(name, "worker"),
    stacks,
    regions: new Map(region !== undefined ? stacks.map((s) => [s, region]) : []),
    workers,
    rows,
    decisions,
  };
}
