/**
 * One source for the defaults and ranges of the arguments that become sidecar options: the
 * sidecar's option table (sidecar/options.ts). What the component sets when an argument is
 * omitted, what validation accepts, what args.ts's TSDoc (the published schema's descriptions)
 * states, and what docs/component.md and docs/migrating-from-beanstalk.md state are all
 * compared with it here, so none can drift.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import type { WorkerEnvironmentArgs } from "../../component/args";
import { COMPONENT_SIDECAR_OPTIONS, sidecarEnvironment } from "../../component/sidecar-env";
import { validateArgs, WorkerEnvironmentArgsError } from "../../component/validation";
import { optionSpec, type OptionName, type OptionSpec } from "../../sidecar/options";

const ROOT = path.resolve(__dirname, "../..");
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), "utf8");
const minimal = (): WorkerEnvironmentArgs => ({ app: { image: "public.ecr.aws/fake/app:1" } });

/**
 * The arguments documented as a sidecar option, by option: every argument the component maps
 * to an option with a default, a range or a list of values. Written out so that a doc comment
 * that stops naming its option fails here instead of silently leaving the check.
 */
const DOCUMENTED: Readonly<Partial<Record<OptionName, string>>> = {
  HttpPath: "app.httpPath",
  HealthCheckPath: "app.healthCheckPath",
  MimeType: "sidecar.mimeType",
  HttpConnections: "sidecar.httpConnections",
  ConnectTimeout: "sidecar.connectTimeout",
  InactivityTimeout: "sidecar.inactivityTimeout",
  ErrorVisibilityTimeout: "sidecar.errorVisibilityTimeout",
  DrainTimeout: "sidecar.drainTimeout",
  TaskProtection: "sidecar.taskProtection",
  SuccessStatus: "sidecar.successStatus",
  LogLevel: "sidecar.logLevel",
  VisibilityTimeout: "queue.visibilityTimeoutSeconds",
  RetentionPeriod: "queue.retentionSeconds",
  MaxRetries: "maxRetries",
};

/**
 * Where the component's default is its own choice, not the table's, and why. Every other
 * option's default is the table's.
 */
const COMPONENT_CHOICES: Readonly<Partial<Record<OptionName, string>>> = {
  // Scale-in must never stop a task holding messages, on ECS or not.
  TaskProtection: "on",
  // The table has none (the daemon takes HttpUrl's path); the component always sets it.
  HttpPath: "/",
};

const documented = Object.entries(DOCUMENTED) as Array<[OptionName, string]>;

/** What the sidecar gets when the argument is omitted. */
const effective: Record<string, string> = sidecarEnvironment(minimal(), validateArgs("t", minimal()), "https://sqs.example/q", "us-east-1");

/** The default the component documents for an option: its own choice, else the table's. */
function componentDefault(option: OptionName): string | undefined {
  return COMPONENT_CHOICES[option] ?? optionSpec(option).default;
}

/** Doc comments of args.ts, by "Interface.property", and each property's type name. */
let parsed: { doc: Map<string, string>; type: Map<string, string> } | undefined;
function argsDocs(): { doc: Map<string, string>; type: Map<string, string> } {
  if (parsed !== undefined) return parsed;
  const file = "component/args.ts";
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const doc = new Map<string, string>();
  const type = new Map<string, string>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
      const key = `${node.name.text}.${member.name.text}`;
      const text = ts
        .getJSDocCommentsAndTags(member)
        .filter(ts.isJSDoc)
        .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
        .join("\n");
      doc.set(key, text.replace(/\s+/g, " ").trim());
      if (member.type !== undefined) type.set(key, member.type.getText(source));
    }
  });
  parsed = { doc, type };
  return parsed;
}

/** The doc comment of an argument path such as "sidecar.httpConnections", from WorkerEnvironmentArgs down. */
function docOf(argPath: string): string {
  const { doc, type } = argsDocs();
  let owner = "WorkerEnvironmentArgs";
  const segments = argPath.split(".");
  for (const [i, segment] of segments.entries()) {
    const key = `${owner}.${segment}`;
    if (i === segments.length - 1) return doc.get(key) ?? assert.fail(`args.ts has no documented ${key}`);
    owner = type.get(key) ?? assert.fail(`args.ts has no ${key}`);
  }
  return assert.fail(`empty path ${argPath}`);
}

/** "Default: 50." → "50"; 'Default: "on".' → "on"; "Default: none." → undefined. */
function statedDefault(text: string): string | undefined | null {
  const m = /Default: (?:"([^"]*)"|(\S+?))[.,;]?(?:\s|$)/.exec(text);
  if (m === null) return null;
  const value = m[1] ?? m[2];
  return value === "none" ? undefined : value;
}

/** The "min-max" a text states, or null. */
function statedRange(text: string): [number, number] | null {
  const m = /(?<![\w.])(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?!\w|\.\d)/.exec(text);
  return m === null ? null : [Number(m[1]), Number(m[2])];
}

const hasRange = (spec: OptionSpec): spec is OptionSpec & { min: number; max: number } => spec.min !== undefined && spec.max !== undefined;

describe("defaults and ranges: one source, the sidecar's option table", () => {
  it("covers every option the component sets from an argument", () => {
    const set = Object.keys(COMPONENT_SIDECAR_OPTIONS) as OptionName[];
    // The rest come from the deploy (the queue, the provider's region, app.port), not from an argument's default.
    assert.deepEqual(set.filter((o) => DOCUMENTED[o] === undefined).sort(), ["HttpUrl", "Region", "WorkerQueueURL"]);
    for (const [option, arg] of documented) {
      assert.equal(COMPONENT_SIDECAR_OPTIONS[option]?.split(/[\s(]/)[0], arg, `${option} is set from ${arg}`);
    }
  });

  it("the component's defaults are the table's, except its stated choices", () => {
    assert.equal(documented.length, 14);
    for (const [option] of documented) assert.equal(effective[option], componentDefault(option), option);
    assert.equal(effective.TaskProtection, "on");
    assert.notEqual(optionSpec("TaskProtection").default, "on", "a real choice, else drop it from COMPONENT_CHOICES");
  });

  it("args.ts's doc comments name the option and state its default, range and values", () => {
    let ranges = 0;
    let values = 0;
    for (const [option, arg] of documented) {
      const text = docOf(arg);
      const spec = optionSpec(option);
      assert.match(text, new RegExp(`\\b${option}\\b`), `${arg} names ${option}: ${text}`);
      assert.equal(statedDefault(text), componentDefault(option), `${arg}: ${text}`);
      assert.deepEqual(statedRange(text), hasRange(spec) ? [spec.min, spec.max] : null, `${arg}: ${text}`);
      if (hasRange(spec)) ranges++;
      if (spec.values !== undefined) {
        // The list between the description's colon and "(Option)": `"auto", "on" or "off" (TaskProtection)`.
        const list = new RegExp(`:\\s*([^:]*?)\\s*\\(${option}\\)`).exec(text)?.[1] ?? assert.fail(`${arg} lists no values: ${text}`);
        assert.deepEqual(list.split(/,\s*|\s+or\s+/).map((v) => v.replace(/"/g, "")), [...spec.values], `${arg}: ${text}`);
        values++;
      }
    }
    assert.deepEqual([ranges, values], [8, 3]);
  });

  it("validation accepts exactly the table's range (an integer option refuses fractions)", () => {
    const withArg = (arg: string, value: number): WorkerEnvironmentArgs => {
      const [head, leaf] = arg.includes(".") ? (arg.split(".") as [string, string]) : [undefined, arg];
      const args: Record<string, unknown> = { ...minimal() };
      if (head === undefined) args[leaf] = value;
      else args[head] = { ...((args[head] as object | undefined) ?? {}), [leaf]: value };
      return args as unknown as WorkerEnvironmentArgs;
    };
    const refusal = (arg: string, value: number): string | undefined => {
      try {
        validateArgs("t", withArg(arg, value));
        return undefined;
      } catch (err) {
        assert.ok(err instanceof WorkerEnvironmentArgsError, String(err));
        return err.problems.join("\n");
      }
    };
    let checked = 0;
    for (const [option, arg] of documented) {
      const spec = optionSpec(option);
      if (!hasRange(spec)) continue;
      const whole = spec.kind === "integer" ? "a whole number " : "";
      const message = new RegExp(`^${arg.replace(".", "\\.")}: .* is out of range; use ${whole}from ${spec.min} to ${spec.max}$`);
      assert.equal(refusal(arg, spec.min), undefined, `${arg} = ${spec.min}`);
      assert.equal(refusal(arg, spec.max), undefined, `${arg} = ${spec.max}`);
      assert.match(refusal(arg, spec.min - 1) ?? "accepted", message, `${arg} = ${spec.min - 1}`);
      assert.match(refusal(arg, spec.max + 1) ?? "accepted", message, `${arg} = ${spec.max + 1}`);
      if (spec.kind === "integer") assert.match(refusal(arg, spec.min + 0.5) ?? "accepted", message, `${arg} = ${spec.min + 0.5}`);
      checked++;
    }
    assert.equal(checked, 8);
  });

  it("docs/component.md's argument table states the same defaults and ranges", () => {
    const rows = read("docs/component.md")
      .split("\n")
      .filter((l) => l.startsWith("| `"))
      .map((l) => l.split(" | ").map((c) => c.replace(/^\| |\s*\|$/g, "").trim()));
    const found = new Map<string, { value: string | undefined; notes: string; alone: boolean }>();
    for (const [args = "", defaults = "", notes = ""] of rows) {
      // "`sidecar.mimeType`, `httpConnections`": later names share the first one's parent.
      const names = [...args.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
      const parent = names[0]?.includes(".") ? names[0].slice(0, names[0].lastIndexOf(".") + 1) : "";
      const values = defaults.split(/,\s*/);
      for (const [i, name] of names.entries()) {
        const full = name.includes(".") ? name : `${parent}${name}`;
        const value = values.length === names.length ? values[i]?.replace(/`/g, "") : undefined;
        found.set(full, { value: value === "none" ? undefined : value, notes, alone: names.length === 1 });
      }
    }
    for (const [option, arg] of documented) {
      const row = found.get(arg) ?? assert.fail(`docs/component.md has no row for ${arg}`);
      assert.equal(row.value, componentDefault(option), `docs/component.md ${arg}`);
      const spec = optionSpec(option);
      if (row.alone && hasRange(spec)) {
        const stated = statedRange(row.notes);
        if (stated !== null) assert.deepEqual(stated, [spec.min, spec.max], `docs/component.md ${arg}: ${row.notes}`);
      }
      if (row.alone && spec.values !== undefined) {
        assert.deepEqual([...row.notes.matchAll(/`([^`]+)`/g)].map((m) => m[1]), [...spec.values], `docs/component.md ${arg}: ${row.notes}`);
      }
    }
    assert.deepEqual(statedRange(found.get("sidecar.drainTimeout")?.notes ?? ""), [0, 115], "the table states drainTimeout's range");
  });

  it("docs/migrating-from-beanstalk.md's option table states the same defaults and ranges", () => {
    const rows = read("docs/migrating-from-beanstalk.md")
      .split("\n")
      .filter((l) => l.startsWith("| `"))
      .map((l) => l.split(" | ").map((c) => c.replace(/^\| |\s*\|$/g, "").trim()));
    let checked = 0;
    for (const [beanstalk = "", defaults = "", argument = ""] of rows) {
      const option = /^`(\w+)`$/.exec(beanstalk)?.[1] as OptionName | undefined;
      const arg = /^`([\w.]+)`/.exec(argument)?.[1];
      if (option === undefined || arg === undefined || DOCUMENTED[option] !== arg) continue;
      assert.equal(defaults.replace(/`/g, "").replace(/ s$/, ""), componentDefault(option), `migrating-from-beanstalk.md ${option}`);
      const spec = optionSpec(option);
      assert.deepEqual(statedRange(argument), hasRange(spec) ? [spec.min, spec.max] : null, `migrating-from-beanstalk.md ${option}: ${argument}`);
      checked++;
    }
    // HttpPath, MimeType, HttpConnections, ConnectTimeout, InactivityTimeout, VisibilityTimeout, ErrorVisibilityTimeout, RetentionPeriod, MaxRetries.
    assert.equal(checked, 9);
  });
});
