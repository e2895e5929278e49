import assert from "node:assert/strict";
import { runTs, summaryValue } from "./run-cli";

describe("npm start (local/example.ts)", function () {
  this.timeout(90_000);

  it("runs end to end in under 60 s and exits 0 with a checkable summary", async () => {
    const run = runTs("local/example.ts", []);
    const { code, ms } = await run.exited;
    const out = run.output();
    assert.equal(code, 0, out);
    assert.ok(ms < 60_000, `took ${ms} ms`);
    // 4 messages + 1 periodic task delivered; the {"fail": true} one fails 3 times (MaxRetries 3).
    assert.equal(summaryValue(out, "delivered"), 5, out);
    assert.equal(summaryValue(out, "retried"), 2, out);
    assert.equal(summaryValue(out, "dead-lettered"), 1, out);
    assert.equal(summaryValue(out, "dlq depth"), 1, out);
    assert.equal(summaryValue(out, "queue depth"), 0, out);
    assert.match(out, /periodic task backup-job at \/tasks\/backup/);
    assert.doesNotMatch(out, /^\{"level"/m, "raw sidecar JSON logs must not be printed");
  });
});
