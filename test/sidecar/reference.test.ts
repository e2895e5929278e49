/**
 * One source of truth: the README's option reference is what the option table generates.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { OPTIONS } from "../../sidecar/options";
import { README, withOptions } from "../../sidecar/reference";

describe("sidecar: README reference", () => {
  it("matches the option table (run npm run docs:options after changing options)", () => {
    const readme = readFileSync(README, "utf8");
    assert.equal(readme, withOptions(readme));
    for (const o of OPTIONS) assert.ok(readme.includes(`\`--${o.flag}\``), o.flag);
  });

  it("lists every request header of the contract", () => {
    const readme = readFileSync(README, "utf8");
    for (const h of [
      "User-Agent",
      "X-Aws-Sqsd-Msgid",
      "X-Aws-Sqsd-Queue",
      "X-Aws-Sqsd-First-Received-At",
      "X-Aws-Sqsd-Receive-Count",
      "X-Aws-Sqsd-Sent-At",
      "X-Aws-Sqsd-Sender-Id",
      "X-Aws-Sqsd-Attr-",
      "X-Aws-Sqsd-Taskname",
      "X-Aws-Sqsd-Scheduled-At",
      "X-Aws-Sqsd-Path",
      "X-Amzn-Trace-Id",
      "X-Aws-Sqsd-Message-Group-Id",
      "X-Aws-Sqsd-Sequence-Number",
      "X-Aws-Sqsd-Message-Deduplication-Id",
    ]) {
      assert.ok(readme.includes(`\`${h}`), h);
    }
  });
});
