/** The pure parts of local mode: cron.yaml checks, the --send format, the periodic message, log events and totals. */
import assert from "node:assert/strict";
import { loadCronYaml, parseSchedule } from "../../local/cron-config";
import { ConfigError } from "../../local/errors";
import { parseLogNote, type DeliveryEvent } from "../../local/events";
import { PERIODIC_BODY, periodicMessage } from "../../sidecar/periodic-message";
import { parseSendLine, parseSendText } from "../../local/send-lines";
import { Tally, summaryLines } from "../../local/tally";

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail("expected a ConfigError");
}

describe("local: cron.yaml", () => {
  it("accepts the Beanstalk format", () => {
    const entries = loadCronYaml('version: 1\ncron:\n  - name: "backup-job"\n    url: "/backup"\n    schedule: "0 */12 * * *"\n');
    assert.deepEqual(entries, [{ name: "backup-job", url: "/backup", schedule: "0 */12 * * *" }]);
  });

  it("reports every problem: bad cron, 6 fields, duplicate name, url without /", () => {
    const p = problems(() =>
      loadCronYaml(
        "version: 1\ncron:\n" +
          '  - {name: a, url: /a, schedule: "61 * * * *"}\n' +
          '  - {name: a, url: /b, schedule: "* * * * *"}\n' +
          '  - {name: c, url: "c", schedule: "0 * * * * *"}\n',
        "my.yaml",
      ),
    );
    assert.equal(p.length, 4, p.join("\n"));
    assert.match(p[0] ?? "", /^my\.yaml: cron\[0\] "a": schedule is not valid: "61 \* \* \* \*": minute 61 is out of range/);
    assert.match(p[1] ?? "", /cron\[1\] "a": duplicate name/);
    assert.match(p[2] ?? "", /cron\[2\] "c": url: path "c" is not a URL path: start it with a single "\/"/);
    assert.match(p[3] ?? "", /cron\[2\] "c": schedule is not valid: .*expected 5 fields .* got 6/);
  });

  it("refuses what a deploy refuses: both day fields restricted, a double-slash path, a bad name", () => {
    const p = problems(() =>
      loadCronYaml(
        "version: 1\ncron:\n" +
          '  - {name: a, url: /a, schedule: "0 0 1 * 1"}\n' +
          '  - {name: b, url: "//b", schedule: "@daily"}\n' +
          '  - {name: "c d", url: /c, schedule: "@hourly"}\n',
      ),
    );
    assert.equal(p.length, 3, p.join("\n"));
    assert.match(p[0] ?? "", /cron\[0\] "a": schedule is not valid: .*restricts both day of month/);
    assert.match(p[1] ?? "", /cron\[1\] "b": url: path "\/\/b" is not a URL path/);
    assert.match(p[2] ?? "", /cron\[2\] "c d": name "c d" is not valid/);
  });

  it("runs every schedule a deploy accepts, macros included, at the same times", () => {
    const next = (schedule: string) => parseSchedule(schedule, new Date("2026-01-07T10:30:00Z")).next().toDate().toISOString();
    assert.equal(next("@daily"), "2026-01-08T00:00:00.000Z");
    assert.equal(next("@hourly"), "2026-01-07T11:00:00.000Z");
    assert.equal(next("0 9 * * MON-FRI"), "2026-01-08T09:00:00.000Z");
    assert.equal(next("0 0 * * 7"), "2026-01-11T00:00:00.000Z");
    for (const schedule of ["*/5 * * * *", "5/15 * * * *", "0 8-18/2 * * *", "15 10 * JAN-MAR *", "0 0 1 */3 *", "0 0 * * 5-7", "@weekly", "@monthly", "@yearly"]) {
      assert.deepEqual(loadCronYaml(`version: 1\ncron:\n  - {name: t, url: /t, schedule: "${schedule}"}\n`).length, 1, schedule);
    }
  });

  it("rejects a missing url and a wrong version", () => {
    assert.match(problems(() => loadCronYaml('version: 1\ncron:\n  - {name: a, schedule: "* * * * *"}\n'))[0] ?? "", /cron\[0\] needs a non-empty string `url`/);
    assert.match(problems(() => loadCronYaml("version: 2\ncron: []\n"))[0] ?? "", /unsupported version 2/);
  });
});

describe("local: --send lines", () => {
  it("an envelope: body, String/Number attributes, delay", () => {
    const m = parseSendLine('{"body": "hi", "attributes": {"k": "v", "n": 2}, "delaySeconds": 3}', 1);
    assert.deepEqual(m, {
      body: "hi",
      attributes: { k: { DataType: "String", StringValue: "v" }, n: { DataType: "Number", StringValue: "2" } },
      delaySeconds: 3,
      groupId: undefined,
      dedupId: undefined,
      line: 1,
    });
  });

  it("any other object is the body itself, exactly as written", () => {
    assert.equal(parseSendLine('  {"order": 1,  "body": {"x": 1}}  ', 4)?.body, '{"order": 1,  "body": {"x": 1}}');
    assert.equal(parseSendLine('{"body": "x", "other": 1}', 1)?.body, '{"body": "x", "other": 1}');
  });

  it("skips blank and # lines; numbers lines from 1", () => {
    const ms = parseSendText('# comment\n\n{"a": 1}\r\n{"b": 2}\n');
    assert.deepEqual(ms.map((m) => m.line), [3, 4]);
  });

  it("names the line of every malformed entry", () => {
    const p = problems(() => parseSendText('{"ok": 1}\n{"broken": \n[1]\n{"body": 5}\n{"body": "x", "delaySeconds": 901}\n{"body": "x", "attributes": {"k": true}}\n', "in.jsonl"));
    assert.equal(p.length, 5, p.join("\n"));
    assert.match(p[0] ?? "", /^in\.jsonl line 2: not valid JSON/);
    assert.match(p[1] ?? "", /^in\.jsonl line 3: expected a JSON object, got an array/);
    assert.match(p[2] ?? "", /^in\.jsonl line 4: "body" must be a string/);
    assert.match(p[3] ?? "", /^in\.jsonl line 5: "delaySeconds" must be a whole number from 0 to 900/);
    assert.match(p[4] ?? "", /^in\.jsonl line 6: attribute "k" must be a string or a number/);
  });
});

describe("local: periodic message", () => {
  it("has the production shape: body and three String attributes, ISO 8601 UTC time", () => {
    const m = periodicMessage({ name: "backup-job", path: "/backup", scheduledAt: new Date("2026-03-01T12:00:00.250Z") });
    assert.equal(m.body, "elasticbeanstalk scheduled job");
    // The exported constant, for whoever compares bodies with it, is Beanstalk's text too.
    assert.equal(PERIODIC_BODY, "elasticbeanstalk scheduled job");
    assert.deepEqual(m.attributes, {
      "beanstalk.sqsd.task_name": { DataType: "String", StringValue: "backup-job" },
      "beanstalk.sqsd.path": { DataType: "String", StringValue: "/backup" },
      "beanstalk.sqsd.scheduled_time": { DataType: "String", StringValue: "2026-03-01T12:00:00Z" },
    });
  });
});

describe("local: delivery events and totals", () => {
  it("counts deliveries, retries and dead letters from the daemon's events", () => {
    const t = new Tally();
    t.sent(3);
    const events: DeliveryEvent[] = [
      { kind: "delivered", msgId: "a", status: 200, latencyMs: 5, receiveCount: 1 },
      { kind: "failed", msgId: "b", status: 500, outcome: "response", latencyMs: 7, receiveCount: 1, deadLetterNext: false, retryInSeconds: 1 },
      { kind: "failed", msgId: "b", status: 500, outcome: "response", latencyMs: 9, receiveCount: 2, deadLetterNext: true },
      { kind: "timed-out", msgId: "c", latencyMs: 1000, receiveCount: 1 },
    ];
    for (const e of events) t.record(e);
    assert.deepEqual(t.totals, { sent: 3, delivered: 1, retried: 2, deadLettered: 1, timedOut: 1 });
    assert.deepEqual([...t.settled], ["a", "b"]);
    const lines = summaryLines(t, { inFlight: 0, queueDepth: 0, dlqDepth: 1, elapsedMs: 1234 });
    assert.ok(lines.includes("delivered: 1") && lines.includes("retried: 2") && lines.includes("dead-lettered: 1"), lines.join("\n"));
  });

  it("keeps other sidecar log lines as notes without pino's base fields, and ignores non-JSON", () => {
    const line = JSON.stringify({ level: "warn", time: "t", svc: "sqsd", msg: "app unhealthy", reason: "x" });
    assert.deepEqual(parseLogNote(line), { kind: "note", level: "warn", msg: "app unhealthy", fields: { reason: "x" } });
    assert.equal(parseLogNote("not json"), undefined);
  });
});
