/**
 * A Beanstalk worker environment → a migration plan: the options resolved in Beanstalk's order of
 * precedence, each through its rule (beanstalk-rules.ts), every other key of the files through
 * the table below, cron.yaml checked and carried as `cronFile`. One stack.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { checkPeriodicTask } from "../sidecar/periodic-task";
import type { BeanstalkFile, BeanstalkInput, FileKey } from "./beanstalk-input";
import { PRECEDENCE, precedenceOrder, resolveOptions, type ResolvedOption } from "./beanstalk-precedence";
import { BEANSTALK_RULES, isBeanstalkQueue, NAMED_NAMESPACES, OTHER_NAMESPACES, queueFromUrl, ruleFor, serviceSize, type BeanstalkContext } from "./beanstalk-rules";
import { componentName, pulumiName, regionIn } from "./names";
import { CRON_FILE, type MigrationPlan } from "./plan";
import { exposedPort, fromProgram } from "./program-paths";
import { changed, display, mapped, notCarried, unknownSetting, type Disposition, type Row } from "./report-rows";
import { ArgsTree, RequiredConfig } from "./values";

/** The port Beanstalk's platforms give the app (PORT) behind nginx, when nothing else says. */
export const BEANSTALK_APP_PORT = 5000;

const isScalar = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** What becomes of a key of a file that is not an option (ebextension sections, saved configuration metadata, cron.yaml). */
function fileKeyDisposition(k: FileKey, cronOk: (index: number) => string | undefined): Disposition {
  const top = k.key.split(/[.[]/)[0] ?? k.key;
  switch (k.kind) {
    case "ebextension":
      if (["packages", "groups", "users", "sources", "files", "commands", "services"].includes(top)) return notCarried("instance setup: build it into the app's image (Dockerfile RUN / COPY), which `app.build` builds");
      if (top === "container_commands") return notCarried("commands run on each deploy: run them in the image's entrypoint, or once per deploy as a one-off task (aws ecs run-task) before `pulumi up` switches the service");
      if (["Resources", "Outputs", "Parameters", "Mappings", "Conditions"].includes(top)) return notCarried("CloudFormation for Beanstalk's own stack: write those resources as Pulumi resources in index.ts");
      if (top === "option_settings") return notCarried(/\]\./.test(k.key) ? "not a field of an option setting (namespace, option_name, value, resource_name)" : "not an option setting: an item needs option_name (and value), a namespace maps option names to values");
      return unknownSetting("not a section of an .ebextensions file the migrator knows");
    case "saved configuration":
      if (["EnvironmentConfigurationMetadata", "AWSConfigurationTemplateVersion"].includes(top)) return notCarried("metadata of the saved configuration");
      if (top === "Platform") return changed([], "the container image (`app`) replaces the platform: your Dockerfile's base image picks the runtime");
      if (top === "EnvironmentTier") return changed([], "a worker environment: the WorkerEnvironment component itself");
      if (top === "EnvironmentLinks") return notCarried("links to other Beanstalk environments: pass what the app needs from them in app.environment");
      return unknownSetting("not a key of a saved configuration the migrator knows");
    case "environment settings":
      if (top === "ApplicationName") return changed([], "the Pulumi project's name");
      if (top === "EnvironmentName") return changed([], "the component's and the stack's name");
      if (top === "SolutionStackName" || top === "PlatformArn") return changed([], "the container image (`app`) replaces the platform: your Dockerfile's base image picks the runtime");
      if (["DeploymentStatus", "DateCreated", "DateUpdated", "Description", "TemplateName", "ResponseMetadata"].includes(top)) return notCarried("metadata of the environment");
      if (top === "OptionSettings") return notCarried("not an option setting: an item needs Namespace and OptionName");
      return unknownSetting("not a field of describe-configuration-settings output the migrator knows");
    case "cron.yaml": {
      if (k.key === "version") return k.value === 1 || k.value === "1" ? mapped(["cronFile"], `the same file, written beside the program as ./${CRON_FILE}`) : notCarried(`version ${String(k.value)}: cron.yaml version 1 is the one Beanstalk reads`);
      const m = /^cron\[(\d+)\]\.(name|url|schedule)$/.exec(k.key);
      if (!m) return unknownSetting("not a field of a cron.yaml entry (name, url, schedule)");
      const problem = cronOk(Number(m[1]));
      if (problem !== undefined) return notCarried(`the entry is left out of ./${CRON_FILE}: ${problem}`);
      return mapped([`periodicTasks[${m[1]}].${m[2]}`], `through cronFile: one EventBridge Scheduler schedule per entry, enqueued once per run`);
    }
  }
}

/** Problems of each cron.yaml entry (by index), and the text to write: the file itself, or its valid entries. */
function checkCron(file: BeanstalkFile | undefined, fifo: boolean): { problems: Map<number, string>; text?: string } {
  const problems = new Map<number, string>();
  if (file === undefined) return { problems };
  const value = file.source.value() as { version?: unknown; cron?: unknown } | null;
  const entries = Array.isArray(value?.cron) ? (value.cron as unknown[]) : [];
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    const entry = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
    const fields = { name: String(entry.name ?? ""), url: String(entry.url ?? ""), schedule: String(entry.schedule ?? "") };
    const found = checkPeriodicTask(fields).problems;
    if (fifo) found.push("periodic tasks are not supported on FIFO queues (as in Beanstalk)");
    if (seen.has(fields.name)) found.push(`duplicate name ${JSON.stringify(fields.name)}`);
    seen.add(fields.name);
    if (found.length > 0) problems.set(i, found.join("; "));
  });
  const valid = entries.filter((_e, i) => !problems.has(i));
  if (valid.length === 0) return { problems };
  if (problems.size === 0) return { problems, text: file.source.text };
  const lines = valid.map((e) => {
    const entry = e as Record<string, unknown>;
    return `  - name: ${JSON.stringify(entry.name)}\n    url: ${JSON.stringify(entry.url)}\n    schedule: ${JSON.stringify(entry.schedule)}`;
  });
  return { problems, text: `# The valid entries of ${file.source.file} (see MIGRATION.md for the others).\nversion: 1\ncron:\n${lines.join("\n")}\n` };
}

const asText = (v: unknown): string | undefined => (isScalar(v) ? String(v) : undefined);

/** One option's row: its rule, a namespace's reason, or unknown. */
function optionRow(key: string, r: ResolvedOption, ctx: BeanstalkContext): Row {
  const { namespace, option, value, source } = r.winner;
  const found = ruleFor(namespace, option);
  const text = asText(value);
  let d: Disposition;
  if (value === undefined || value === null || (text === "" && !NAMED_NAMESPACES.includes(namespace))) d = notCarried("no value (unset: Beanstalk's default applied)");
  else if (text === undefined || /^`[^]*`$/.test(text.trim())) d = notCarried("a CloudFormation function, whose value only Beanstalk's stack knows: set the argument it would feed yourself");
  else if (found !== undefined) d = found.rule.apply(text, ctx, option);
  else {
    const other = OTHER_NAMESPACES.find((n) => n.test.test(namespace));
    const known = [...BEANSTALK_RULES.keys()].some((k) => k.startsWith(`${namespace} `));
    d = other !== undefined ? notCarried(other.reason) : known ? unknownSetting(`not an option of ${namespace}`) : unknownSetting(`namespace ${namespace} is not one a worker environment uses`);
  }
  const over = r.overridden.length > 0 ? `(overrides ${r.overridden.map((o) => o.source).join(", ")})` : "";
  return { key, value: d.secret === true ? "(hidden)" : display(text ?? value), source, outcome: d.outcome, args: d.args, note: [d.note, over].filter((n) => n !== "").join(" "), rule: found ? `beanstalk:${found.key}` : "beanstalk:other" };
}

export interface BeanstalkOptions {
  /** The folder the program is written to (paths in it are relative to it). */
  readonly outDir: string;
  /** A name for the component instead of the one made up. */
  readonly name?: string;
}

/** Map what was read into a plan. */
export function planBeanstalk(input: BeanstalkInput, opts: BeanstalkOptions): MigrationPlan {
  const files = precedenceOrder(input.files);
  const resolved = resolveOptions(files);
  const winner = (ns: string, o: string): string | undefined => asText(resolved.get(`${ns} ${o}`)?.winner.value);
  const queueUrl = winner("aws:elasticbeanstalk:sqsd", "WorkerQueueURL") ?? "";
  const args = new ArgsTree();
  const ctx: BeanstalkContext = {
    args,
    option: winner,
    size: serviceSize(winner),
    existingQueue: queueUrl !== "" && !isBeanstalkQueue(queueUrl) && queueFromUrl(queueUrl) !== undefined,
  };
  const rows: Row[] = [];
  for (const [key, r] of resolved) rows.push(optionRow(key, r, ctx));

  const cronFile = files.find((f) => f.kind === "cron.yaml");
  const cron = checkCron(cronFile, ctx.existingQueue && queueFromUrl(queueUrl)?.fifo === true);
  const allKeys = files.flatMap((f) => f.keys);
  for (const k of allKeys) {
    const d = fileKeyDisposition(k, (i) => cron.problems.get(i));
    const prefix = k.kind === "cron.yaml" ? "cron.yaml " : `${path.basename(k.file)}: `;
    rows.push({ key: `${prefix}${k.key}`, value: display(k.value), source: k.source, outcome: d.outcome, args: d.args, note: d.note, rule: k.kind === "cron.yaml" ? `beanstalk:cron.yaml ${k.key.replace(/\[\d+\]/g, "[]")}` : `beanstalk:file ${k.kind}` });
  }
  if (cron.text !== undefined) args.set("cronFile", `./${CRON_FILE}`);

  // What the input does not say.
  const decisions: string[] = [];
  const environmentName = asText(allKeys.find((k) => k.key === "EnvironmentName")?.value);
  const applicationName = asText(allKeys.find((k) => k.key === "ApplicationName")?.value);
  const appDir = input.appDir;
  const name = componentName(opts.name ?? environmentName ?? (appDir ? path.basename(path.resolve(appDir)) : undefined));
  decisions.push(`The component is named \`${name}\` (${opts.name ? "--name" : environmentName ? "the environment's name" : appDir ? "the app folder's name" : "a default"}); it names the queues, cluster and service.`);
  const dockerfile = appDir ? path.join(appDir, "Dockerfile") : undefined;
  if (dockerfile !== undefined && existsSync(dockerfile)) {
    args.set("app.build.context", fromProgram(opts.outDir, appDir as string));
    decisions.push(`The app's image is built from its Dockerfile (\`app.build.context: "${fromProgram(opts.outDir, appDir as string)}"\`) and pushed to a new ECR repository.`);
  } else {
    args.set("app.image", new RequiredConfig("appImage", "the URI of your app's container image (containerise the app first: docs/migrating-from-beanstalk.md, Steps)", false, "registry.invalid/app:latest"));
    decisions.push("No Dockerfile next to the configuration: the app's image URI is stack config `appImage` (containerise the app, push the image, then set it).");
  }
  // Beanstalk's daemon posts to nginx on port 80, which proxies to the app's PORT.
  const portProperty = Number(winner("aws:elasticbeanstalk:application:environment", "PORT"));
  const exposed = dockerfile ? exposedPort(dockerfile) : undefined;
  if (Number.isInteger(portProperty) && portProperty >= 1 && portProperty <= 65535) {
    args.set("app.port", portProperty);
    decisions.push(`\`app.port\` is ${portProperty}, the app's PORT environment property: the sidecar posts straight to it (no nginx in front).`);
  } else {
    args.set("app.port", exposed ?? BEANSTALK_APP_PORT);
    decisions.push(exposed !== undefined ? `\`app.port\` is ${exposed}, the port the Dockerfile EXPOSEs: the sidecar posts there.` : `\`app.port\` is ${BEANSTALK_APP_PORT}, the PORT Beanstalk's platforms give the app behind nginx: the sidecar posts straight to it. Change it if your server listens elsewhere.`);
  }
  if (ctx.size === undefined && !rows.some((r) => r.key.startsWith("aws:autoscaling:asg M"))) {
    decisions.push("MinSize/MaxSize are not set (Beanstalk's default: 1 to 4 instances): the service runs one task. To scale on the queue, add `scaling: { minCount, maxCount }`.");
  }
  const stack = pulumiName(environmentName, "dev");
  const region = [queueUrl, ...files.flatMap((f) => [...f.options.map((o) => asText(o.value) ?? ""), ...f.keys.map((k) => JSON.stringify(k.value) ?? "")])].map(regionIn).find((r) => r !== undefined);
  return {
    tool: "beanstalk",
    inputs: files.map((f) => `${f.source.file} (${f.kind})`),
    precedence: PRECEDENCE,
    project: pulumiName(applicationName ?? name, "worker"),
    stacks: [stack],
    regions: new Map(region !== undefined ? [[stack, region]] : []),
    workers: [{ name, args: new Map([[stack, args.root]]) }],
    rows,
    ...(cron.text !== undefined && cronFile !== undefined ? { cron: { from: cronFile.source.file, text: cron.text } } : {}),
    decisions,
  };
}
