/**
 * MIGRATION.md lists every input setting exactly once. The keys are worked out here from the
 * fixtures themselves, independently of the readers: for Beanstalk, each option (once, however
 * many files set it), each other key of each file, each cron.yaml field; for Copilot, every leaf
 * of the manifest (environment overrides included) is covered by exactly one row.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { migrate } from "../../migrate/migrate";
import type { Row } from "../../migrate/report-rows";
import { CASES, FIXTURES, OUT } from "./helpers";

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const rowsOf = (tool: "beanstalk" | "copilot", paths: string[]): readonly Row[] => migrate({ tool, paths, outDir: path.join(OUT, "report"), format: "ts", command: "test" }).plan.rows;

/** The keys of a Beanstalk file as the report names them. */
function beanstalkKeys(file: string): string[] {
  const doc = parse(readFileSync(file, "utf8")) as Json;
  const base = path.basename(file);
  const option = (ns: string, o: string, resource?: string) => (ns === "aws:autoscaling:scheduledaction" && resource ? `${ns} ${o} (${resource})` : `${ns} ${o}`);
  const fromMap = (m: unknown) =>
    Object.entries(m as Json).flatMap(([k, opts]) => {
      const [, resource, ns] = /^(?:([A-Za-z0-9]+)\.)?(aws:.+)$/.exec(k) ?? [];
      return Object.keys(opts as Json).map((o) => option(ns as string, o, resource));
    });
  if (base === "cron.yaml") return ["cron.yaml version", ...(doc.cron as Json[]).flatMap((e, i) => Object.keys(e).map((f) => `cron.yaml cron[${i}].${f}`))];
  if ("ConfigurationSettings" in doc) {
    const env = (doc.ConfigurationSettings as Json[])[0] as Json;
    return Object.entries(env).flatMap(([k, v]) =>
      k === "OptionSettings" ? (v as Json[]).map((s) => option(s.Namespace as string, s.OptionName as string, s.ResourceName as string | undefined)) : [`${base}: ${k}`],
    );
  }
  return Object.entries(doc).flatMap(([k, v]) => {
    if (k === "OptionSettings") return fromMap(v);
    if (k !== "option_settings") return [`${base}: ${k}`];
    return Array.isArray(v) ? v.map((i: Json) => option((i.namespace as string) ?? "aws:elasticbeanstalk:application:environment", i.option_name as string)) : fromMap(v);
  });
}

/** Leaf paths of a manifest, as the report writes paths. */
function leaves(v: unknown, at = ""): string[] {
  if (Array.isArray(v) && v.length > 0) return v.flatMap((x, i) => leaves(x, `${at}[${i}]`));
  if (isMap(v) && Object.keys(v).length > 0) return Object.entries(v).flatMap(([k, x]) => leaves(x, at === "" ? k : `${at}.${k}`));
  return [at];
}

const covers = (row: string, leaf: string): boolean => leaf === row || leaf.startsWith(`${row}.`) || leaf.startsWith(`${row}[`);

describe("migrate: the report lists every input setting exactly once", () => {
  it("Beanstalk: every option once (the winner of all the files that set it), every other key of every file, every cron.yaml field", () => {
    const app = path.join(FIXTURES, "beanstalk-app");
    const files = [
      ...readdirSync(path.join(app, ".ebextensions")).map((f) => path.join(app, ".ebextensions", f)),
      path.join(app, ".elasticbeanstalk", "saved_configs", "reports-worker-prod.cfg.yml"),
      path.join(app, "cron.yaml"),
    ];
    for (const [paths, inputs] of [
      [[app], files],
      [[path.join(FIXTURES, "describe-configuration-settings.json")], [path.join(FIXTURES, "describe-configuration-settings.json")]],
      [[path.join(FIXTURES, "bad", "unknown")], [path.join(FIXTURES, "bad", "unknown", ".ebextensions", "01-custom.config")]],
    ]) {
      const keys = rowsOf("beanstalk", paths as string[]).map((r) => r.key);
      assert.equal(new Set(keys).size, keys.length, `no key twice: ${keys.filter((k, i) => keys.indexOf(k) !== i).join(", ")}`);
      assert.deepEqual([...keys].sort(), [...new Set((inputs as string[]).flatMap(beanstalkKeys))].sort());
    }
  });

  it("Copilot: every leaf of the manifest and of each environment's override is covered by exactly one row", () => {
    const manifests = [...CASES.filter((c) => c.tool === "copilot").map((c) => c.paths[0] as string), path.join(FIXTURES, "bad", "unknown-fields.yml")];
    for (const file of manifests) {
      const rows = rowsOf("copilot", [file]);
      const keys = rows.map((r) => r.key);
      assert.equal(new Set(keys).size, keys.length, `${file}: no key twice`);
      for (const leaf of leaves(parse(readFileSync(file, "utf8")))) {
        const by = keys.filter((k) => covers(k, leaf));
        assert.equal(by.length, 1, `${file}: ${leaf} is covered by ${by.length} rows (${by.join(", ")})`);
      }
      for (const k of keys) assert.ok(leaves(parse(readFileSync(file, "utf8"))).some((l) => covers(k, l)), `${file}: row ${k} is an input key`);
    }
  });

  it("unknown namespaces, options and manifest fields are listed as not carried over (unknown)", () => {
    const beanstalk = rowsOf("beanstalk", [path.join(FIXTURES, "bad", "unknown")]).filter((r) => r.outcome === "unknown").map((r) => r.key);
    assert.deepEqual(beanstalk, ["aws:elasticbeanstalk:sqsd HttpConnectionz", "aws:elasticbeanstalk:customoption ReportFormat", "01-custom.config: hooks"]);
    const copilot = rowsOf("copilot", [path.join(FIXTURES, "bad", "unknown-fields.yml")]).filter((r) => r.outcome === "unknown").map((r) => r.key);
    assert.deepEqual(copilot, ["image.port", "http", "count.requests", "subscribe.queue.kms"]);
    const report = migrate({ tool: "copilot", paths: [path.join(FIXTURES, "bad", "unknown-fields.yml")], outDir: OUT, format: "ts", command: "test" }).report;
    assert.match(report, /^\| `http` \| `\{"path":"\/"\}` \| .*unknown-fields\.yml:8 \| not carried over \(unknown\) \|/m);
  });

  it("the stated counts are the rows'", () => {
    const m = migrate({ tool: "beanstalk", paths: [path.join(FIXTURES, "beanstalk-app")], outDir: OUT, format: "ts", command: "test" });
    const n = (o: string) => m.plan.rows.filter((r) => r.outcome === o).length;
    assert.match(m.report, new RegExp(`\\*\\*${m.plan.rows.length} settings: ${n("mapped")} mapped, ${n("changed")} changed, ${n("not carried over") + n("unknown")} not carried over`));
    assert.equal((m.report.match(/^\| `/gm) ?? []).length, m.plan.rows.length, "one table row per setting");
  });
});
