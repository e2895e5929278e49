/**
 * docs/migrating-from-beanstalk.md against the option list of a Beanstalk worker environment
 * (test/component/fixtures/beanstalk-worker-options.txt): the sqsd table, the cron.yaml table and
 * one table per namespace together give every option exactly one row, each with an equivalent
 * or "not supported, because …", naming only arguments that exist; the stated counts are the
 * tables'.
 */
import assert from "node:assert/strict";
import { assertStatedCoverage, fieldList, read, section, tableProblems, tableRows, type Row } from "./mapping-table";

const SQSD = "aws:elasticbeanstalk:sqsd";

/** Every row of the guide, each field as "<namespace> <option>". */
function rows(doc: string): Row[] {
  const sqsd = tableRows(section(doc, `## The \`${SQSD}\` options`), 2, `${SQSD} `);
  const cron = tableRows(section(doc, "## `cron.yaml`"), 1, "cron.yaml ");
  const others = section(doc, "## Every other option a worker environment uses")
    .split("\n### ")
    .slice(1)
    .flatMap((part) => {
      const namespace = /^`([^`]+)`/.exec(part)?.[1];
      return namespace === undefined ? [] : tableRows(part, 1, `${namespace} `);
    });
  return [...sqsd, ...cron, ...others];
}

describe("docs/migrating-from-beanstalk.md: every option of a Beanstalk worker environment", () => {
  const options = fieldList("test/component/fixtures/beanstalk-worker-options.txt");
  const doc = read("docs/migrating-from-beanstalk.md");
  const all = rows(doc);

  it("the option list holds the worker's namespaces (spot checks, no duplicates)", () => {
    assert.equal(new Set(options).size, options.length);
    for (const o of [`${SQSD} MaxRetries`, "cron.yaml cron[].schedule", "aws:elasticbeanstalk:application:environmentsecrets <name>", "aws:autoscaling:asg MinSize", "aws:autoscaling:trigger MeasureName", "aws:ec2:vpc Subnets", "aws:elasticbeanstalk:xray XRayEnabled", "aws:elasticbeanstalk:cloudwatch:logs RetentionInDays"]) {
      assert.ok(options.includes(o), o);
    }
    assert.equal(options.filter((o) => o.startsWith(`${SQSD} `)).length, 10, "the whole sqsd namespace");
    assert.ok(!options.some((o) => o.startsWith("aws:elbv2:")), "no load balancer namespace");
  });

  it("has one row per option, each with an equivalent or a reason, naming only arguments that exist", () => {
    assert.deepEqual(tableProblems(all, options), []);
  });

  it("states the counts the tables have", () => assertStatedCoverage(doc, all, options.length));

  it("a namespace's table missing an option fails", () => {
    const broken = all.map((r) => ({ ...r, fields: r.fields.filter((f) => f !== "aws:autoscaling:asg MaxSize") }));
    assert.deepEqual(tableProblems(broken, options), ["a row names no field: `scaling.maxCount`", "aws:autoscaling:asg MaxSize: no row"]);
  });
});
