/**
 * `sqsd-worker local` as a user runs it: a child process with a real app command, the
 * embedded emulator on a free port, messages from --send, Ctrl-C, and bad input.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../local/ports";
import { FIXTURE_APP, alive, runLocal, summaryValue } from "./run-cli";

const dir = mkdtempSync(join(tmpdir(), "sqsd-local-test-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const app = (mode = "ok") => `node ${JSON.stringify(FIXTURE_APP)} ${mode}`;

/** Hold a port on 127.0.0.1 for a test. */
function occupy(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(port, "127.0.0.1", () => resolve(s));
  });
}

async function baseArgs(): Promise<string[]> {
  return ["--sqs-port", "0", "--http-url", `http://127.0.0.1:${await freePort()}/`, "--error-visibility-timeout", "1"];
}

describe("sqsd-worker local", function () {
  this.timeout(60_000);

  it("delivers --send messages to the --app command; SIGINT stops everything and exits 0", async () => {
    const send = file("msgs.jsonl", '{"n": 1}\n{"body": "plain text", "attributes": {"k": "v"}}\n');
    const run = runLocal([...(await baseArgs()), "--app", app(), "--send", send]);
    const pid = Number((await run.waitFor(/fixture pid (\d+)/))[1]);
    await run.waitFor(/got \/ \{"n": 1\}/);
    await run.waitFor(/got \/ plain text/);
    await run.waitFor(/delivered: |status .*delivered 2/);
    run.child.kill("SIGINT");
    const { code } = await run.exited;
    const out = run.output();
    assert.equal(code, 0, out);
    assert.equal(summaryValue(out, "delivered"), 2, out);
    assert.equal(alive(pid), false, "the app process must be gone after SIGINT");
  });

  it("--exit-when-done: exits 0 by itself once every message is delivered or dead-lettered", async () => {
    const send = file("done.jsonl", '{"n": 1}\n{"n": 2}\n{"please": "fail"}\n');
    const run = runLocal([...(await baseArgs()), "--max-retries", "2", "--app", app(), "--send", send, "--exit-when-done"]);
    const { code } = await run.exited;
    const out = run.output();
    assert.equal(code, 0, out);
    assert.equal(summaryValue(out, "delivered"), 2, out);
    assert.equal(summaryValue(out, "dead-lettered"), 1, out);
  });

  it("--exit-when-done without --send: exit 2 saying what to add", async () => {
    const run = runLocal([...(await baseArgs()), "--app", app(), "--exit-when-done"]);
    const { code } = await run.exited;
    assert.equal(code, 2, run.output());
    assert.match(run.output(), /--exit-when-done: give --send <file>/);
  });

  it("reports an app that crashes mid-run with its command and exit code (exit 1)", async () => {
    const send = file("one.jsonl", '{"n": 1}\n');
    const run = runLocal([...(await baseArgs()), "--app", app("crash-after"), "--send", send]);
    const { code } = await run.exited;
    const out = run.output();
    assert.equal(code, 1, out);
    assert.match(out, /app command "node .*app\.js"? crash-after" exited with exit code 3 while running/);
  });

  it("an app command that exits at once: exit 2 naming the command and its exit code", async () => {
    const run = runLocal([...(await baseArgs()), "--app", app("exit-now")]);
    const { code } = await run.exited;
    const out = run.output();
    assert.equal(code, 2, out);
    assert.match(out, /--app "node .*app\.js"? exit-now" exited with exit code 7 before it accepted connections/);
    assert.match(out, /cannot start \(on purpose\)/);
    const pid = Number(/fixture pid (\d+)/.exec(out)?.[1]);
    assert.equal(alive(pid), false);
  });

  it("the app port in use: exit 2, the app is never started", async () => {
    const port = await freePort();
    const held = await occupy(port);
    try {
      const run = runLocal(["--sqs-port", "0", "--http-url", `http://127.0.0.1:${port}/`, "--app", app()]);
      const { code } = await run.exited;
      const out = run.output();
      assert.equal(code, 2, out);
      assert.match(out, new RegExp(`app port .*127\\.0\\.0\\.1:${port} is already in use`));
      assert.doesNotMatch(out, /fixture pid/);
    } finally {
      held.close();
    }
  });

  it("the emulator port in use: exit 2 naming --sqs-port", async () => {
    const port = await freePort();
    const held = await occupy(port);
    try {
      const run = runLocal(["--sqs-port", String(port), "--http-url", `http://127.0.0.1:${await freePort()}/`, "--app", app()]);
      const { code } = await run.exited;
      const out = run.output();
      assert.equal(code, 2, out);
      assert.match(out, new RegExp(`SQS emulator: cannot listen on 127\\.0\\.0\\.1:${port} \\(the port is already in use\\)`));
      assert.doesNotMatch(out, /fixture pid/);
    } finally {
      held.close();
    }
  });

  const badCron: Array<[string, string, RegExp]> = [
    ["a bad schedule", 'version: 1\ncron:\n  - name: a\n    url: /a\n    schedule: "61 * * * *"\n', /cron\[0\] "a": schedule.*"61 \* \* \* \*".*(not a valid|out of range)/],
    ["a duplicate name", 'version: 1\ncron:\n  - {name: a, url: /a, schedule: "* * * * *"}\n  - {name: a, url: /b, schedule: "* * * * *"}\n', /cron\[1\] "a": duplicate name/],
    ["a missing url", 'version: 1\ncron:\n  - {name: a, schedule: "* * * * *"}\n', /cron\[0\] needs a non-empty string `url`/],
  ];
  for (const [what, text, message] of badCron) {
    it(`cron.yaml with ${what}: exit 2 with a clear message`, async () => {
      const run = runLocal([...(await baseArgs()), "--app", app(), "--cron", file("cron.yaml", text)]);
      const { code } = await run.exited;
      assert.equal(code, 2, run.output());
      assert.match(run.output(), message);
      assert.doesNotMatch(run.output(), /fixture pid/);
    });
  }

  it("a malformed --send line: exit 2 naming the line number", async () => {
    const send = file("bad.jsonl", '{"ok": 1}\n\n{"broken": \n');
    const run = runLocal([...(await baseArgs()), "--app", app(), "--send", send]);
    const { code } = await run.exited;
    assert.equal(code, 2, run.output());
    assert.match(run.output(), /bad\.jsonl line 3: not valid JSON/);
    assert.doesNotMatch(run.output(), /fixture pid/);
  });

  it("--dlq list, redrive and purge act on a running session", async () => {
    const sqsPort = await freePort();
    const send = file("dlq.jsonl", '{"please": "fail"}\n');
    const session = runLocal(["--sqs-port", String(sqsPort), "--http-url", `http://127.0.0.1:${await freePort()}/`, "--max-retries", "1", "--app", app(), "--send", send]);
    try {
      await session.waitFor(/status .*dlq 1/);
      const cli = async (args: string[], expected = 0) => {
        const r = runLocal(["--sqs-port", String(sqsPort), ...args]);
        const { code } = await r.exited;
        assert.equal(code, expected, r.output());
        return r.output();
      };
      assert.match(await cli(["--dlq", "list"]), /local-worker-dlq: 1 message\(s\)[\s\S]*\{"please": "fail"\}/);
      // No terminal and no --yes: refused (exit 2), and the dead letter is still there.
      assert.match(await cli(["--dlq", "purge"], 2), /--dlq purge needs a confirmation and there is no terminal to ask on: pass --yes/);
      assert.match(await cli(["--dlq", "redrive"], 2), /--dlq redrive needs a confirmation/);
      assert.match(await cli(["--dlq", "list"]), /local-worker-dlq: 1 message\(s\)/);
      // fauxqs has no message move task: the redrive says so and copies (receive → send → delete).
      const redrove = await cli(["--dlq", "redrive", "--yes"]);
      assert.match(redrove, /by receive → send → delete \(this server has no message move task\)/);
      assert.match(redrove, /redrove 1 message\(s\) from local-worker-dlq to local-worker/);
      // Redriven: delivered again, failed again (MaxRetries 1), dead-lettered again.
      await session.waitFor(/dead-letter[\s\S]*dead-letter/);
      for (let i = 0; i < 50 && !/: 1 message/.test(await cli(["--dlq", "list"])); i++) await new Promise((r) => setTimeout(r, 200));
      assert.match(await cli(["--dlq", "purge", "--yes"]), /purged local-worker-dlq \(1 message\(s\)\)/);
      assert.match(await cli(["--dlq", "list"]), /local-worker-dlq: 0 message\(s\)/);
    } finally {
      session.child.kill("SIGINT");
      assert.equal((await session.exited).code, 0, session.output());
    }
  });

  it("--dlq list without a running session: exit 2 with a hint", async () => {
    const run = runLocal(["--sqs-port", String(await freePort()), "--dlq", "list"]);
    const { code } = await run.exited;
    assert.equal(code, 2, run.output());
    assert.match(run.output(), /no local session on http:\/\/127\.0\.0\.1:\d+/);
  });
});
