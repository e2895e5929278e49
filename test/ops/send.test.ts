/**
 * `sqsd-worker send` against a real emulator: local mode's --send format, batches, --attr,
 * FIFO order, progress with and without a terminal.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { ops, opsOnTerminal } from "./run-ops";

const dir = mkdtempSync(join(tmpdir(), "ops-send-"));
function file(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.join("\n") + "\n");
  return p;
}
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `{"n": ${i}}`);

describe("sqsd-worker send", function () {
  this.timeout(60_000);
  let server: SqsServer;
  let q: TestQueue;
  const target = () => ["--queue-url", q.url, "--endpoint", server.endpoint];

  before(async () => {
    server = await sqsServer();
  });
  afterEach(() => q.delete());

  it("a file of 250 lines without a terminal: plain progress lines, one summary, every message with --attr", async () => {
    q = await server.createQueue({ name: "ops-send" });
    const path = file("many.jsonl", ["# a comment", ...numbered(249), '{"body": "own", "attributes": {"team": "mine"}}']);
    const r = await ops(["send", ...target(), "--file", path, "--attr", "team=ops", "--attr", "src=cli"], {});
    assert.equal(r.code, 0, r.out);
    const lines = r.out.trimEnd().split("\n");
    const progress = lines.filter((l) => /^sent \d+\/250 \(\d+%\)$/.test(l));
    assert.ok(progress.length >= 1 && progress.length <= 9, r.out);
    assert.doesNotMatch(r.out, /\r|\x1b\[/, "no cursor control without a terminal");
    assert.match(lines.at(-1) ?? "", new RegExp(`^sent 250 of 250 message\\(s\\) from ${path.replace(/[.]/g, "\\.")} to ${q.name} in \\d+\\.\\d s$`));
    const got = await q.receiveAll();
    assert.equal(got.length, 250);
    const own = got.find((m) => m.Body === "own");
    // A line's own attributes win over --attr; the others get every --attr.
    assert.equal(own?.MessageAttributes?.team?.StringValue, "mine");
    assert.equal(own?.MessageAttributes?.src?.StringValue, "cli");
    const plain = got.find((m) => m.Body === '{"n": 7}');
    assert.equal(plain?.MessageAttributes?.team?.StringValue, "ops");
  });

  it("on a terminal: one progress bar redrawn in place, then the summary", async () => {
    q = await server.createQueue({ name: "ops-send-tty" });
    const path = file("tty.jsonl", numbered(120));
    const r = await opsOnTerminal(["send", ...target(), "--file", path]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /\r\[#{10,}\] sent 120\/120 \(100%\) {2}\d+\/s\x1b\[K/);
    assert.doesNotMatch(r.out, /^sent \d+\/120 \(\d+%\)\r?$/m, "no plain progress lines on a terminal");
    assert.match(r.out, /sent 120 of 120 message\(s\)/);
    assert.equal((await q.counts()).visible, 120);
  });

  it("--body with --attr: one message; on a FIFO queue a file keeps its order", async () => {
    q = await server.createQueue({ name: "ops-send-one" });
    const one = await ops(["send", ...target(), "--body", "hello", "--attr", "k=v=w"]);
    assert.equal(one.code, 0, one.out);
    assert.match(one.out, /^sent 1 of 1 message\(s\) from --body to .* \(MessageId [0-9a-f-]+\) in/m);
    const [m] = await q.receiveAll();
    assert.equal(m?.Body, "hello");
    assert.equal(m?.MessageAttributes?.k?.StringValue, "v=w");
    await q.delete();

    q = await server.createQueue({ name: "ops-send-fifo", fifo: true });
    const r = await ops(["send", ...target(), "--file", file("fifo.jsonl", numbered(35))]);
    assert.equal(r.code, 0, r.out);
    const got = await q.receiveAll();
    assert.deepEqual(got.map((x) => x.Body), numbered(35));
  });

  it("bad input: a malformed line names it, --file and --body together, a bad --attr (exit 2, nothing sent)", async () => {
    q = await server.createQueue({ name: "ops-send-bad" });
    const bad = await ops(["send", ...target(), "--file", file("bad.jsonl", ['{"ok": 1}', '{"broken": '])]);
    assert.equal(bad.code, 2, bad.out);
    assert.match(bad.out, /bad\.jsonl line 2: not valid JSON/);
    const both = await ops(["send", ...target(), "--file", "x", "--body", "y"]);
    assert.equal(both.code, 2, both.out);
    assert.match(both.out, /give --file <messages\.jsonl> \("-" = stdin\) or --body <text>/);
    const attr = await ops(["send", ...target(), "--body", "y", "--attr", "novalue"]);
    assert.equal(attr.code, 2, attr.out);
    assert.match(attr.out, /--attr "novalue": expected name=value/);
    assert.equal((await q.counts()).visible, 0);
  });
});
