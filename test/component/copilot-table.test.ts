/**
 * docs/migrating-from-copilot.md's manifest table against the field list derived from
 * aws/copilot-cli (test/component/fixtures/copilot-worker-manifest-fields.txt): every field has
 * exactly one row, no row names a field that does not exist, every row gives an equivalent or
 * "not supported, because …", the arguments it names exist in component/args.ts, and the
 * covered / not supported counts the doc states are the table's.
 */
import assert from "node:assert/strict";
import { argumentPathProblem } from "./args-paths";
import { assertStatedCoverage, fieldList, read, section, tableProblems, tableRows, type Row } from "./mapping-table";

describe("docs/migrating-from-copilot.md: every Copilot Worker Service manifest field", () => {
  const fields = fieldList("test/component/fixtures/copilot-worker-manifest-fields.txt");
  const doc = read("docs/migrating-from-copilot.md");
  const rows = tableRows(section(doc, "## Manifest fields"));

  it("the field list is the manifest's (spot checks of each part, no duplicates)", () => {
    assert.equal(new Set(fields).size, fields.length, "no field twice");
    for (const f of ["image.build.cache_from", "count.range.spot_from", "count.queue_delay.cooldown.out", "deployment.rollback_alarms.messages_delayed", "storage.volumes.<volume>.efs.auth.access_point_id", "subscribe.queue.fifo.high_throughput", "sidecars.<name>.credentialsParameter", "observability.tracing", "taskdef_overrides[].value", "environments.<env>"]) {
      assert.ok(fields.includes(f), f);
    }
    assert.ok(!fields.includes("count.requests") && !fields.includes("subscribe.queue.kms"), "not fields of a Worker Service");
  });

  it("has one row per field, each with an equivalent or a reason, naming only arguments that exist", () => {
    assert.deepEqual(tableProblems(rows, fields), []);
  });

  it("states the counts the table has", () => assertStatedCoverage(doc, rows, fields.length));

  it("catches a missing field, an unknown field, a bare 'not supported' and an argument that does not exist", () => {
    const broken: Row[] = [
      ...rows.filter((r) => !r.fields.includes("cpu")),
      { fields: ["image.kms"], equivalent: "`app.image`" },
      { fields: ["name"], equivalent: "not supported" },
      { fields: ["memory"], equivalent: "`app.secrets.<name>.jsonkey`" },
    ];
    const problems = tableProblems(broken, fields);
    for (const expected of ["cpu: no row", "image.kms: not a field of the list", 'name: "not supported" without a reason', "name: 2 rows", "memory: app.secrets.<name>.jsonkey: ContainerSecret has no jsonkey", "memory: 2 rows"]) {
      assert.ok(problems.includes(expected), `${expected} in:\n${problems.join("\n")}`);
    }
    assert.equal(argumentPathProblem("extraContainers[].mountPoints[].readOnly"), undefined);
    assert.equal(argumentPathProblem("storage.efsVolumes[].containerPath"), undefined);
    assert.equal(argumentPathProblem("sidecar.secrets.<name>.ssmParameter"), undefined);
    assert.match(argumentPathProblem("cpu.units") ?? "", /cpu\.units: units follows a plain value/);
  });
});
