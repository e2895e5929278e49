import assert from "node:assert/strict";
import { parseCronYaml } from "../../component/cron-file";

describe("cron-file", () => {
  it("parses Beanstalk's cron.yaml", () => {
    const text = [
      "version: 1",
      "cron:",
      '  - name: "backup-job"',
      '    url: "/backup"',
      '    schedule: "0 */12 * * *"',
      "  - name: audit",
      "    url: /audit",
      '    schedule: "@daily"',
    ].join("\n");
    assert.deepEqual(parseCronYaml(text), [
      { name: "backup-job", url: "/backup", schedule: "0 */12 * * *" },
      { name: "audit", url: "/audit", schedule: "@daily" },
    ]);
  });

  it("rejects bad shapes with the source name", () => {
    assert.throws(() => parseCronYaml("version: 2\ncron: []", "x.yaml"), /x\.yaml: unsupported version 2/);
    assert.throws(() => parseCronYaml("version: 1"), /`cron` must be a list/);
    assert.throws(() => parseCronYaml("version: 1\ncron:\n  - name: a\n    url: /a"), /cron\[0\] needs a non-empty string `schedule`/);
    assert.throws(() => parseCronYaml("just text"), /expected a mapping/);
    assert.throws(() => parseCronYaml("version: 1\ncron: [unclosed"), /not valid YAML/);
  });
});
