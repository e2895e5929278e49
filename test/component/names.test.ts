/**
 * Physical name limits: the longest accepted component (and rule) names deploy within every
 * AWS cap, one character more fails the preview with the limit and how much to shorten.
 */
import assert from "node:assert/strict";
import { WorkerEnvironment } from "../../component";
import type { WorkerEnvironmentArgs } from "../../component/args";
import { AUTONAME_SUFFIX_LENGTH } from "../../component/names";
import { validateArgs } from "../../component/validation";
import { minimal, settled, Stack } from "./mocks";

/** AWS's caps on the physical names of the auto-named types the component creates. */
const CAPS: Record<string, number> = {
  "aws:iam/role:Role": 64,
  "aws:cloudwatch/eventRule:EventRule": 64,
  "aws:scheduler/scheduleGroup:ScheduleGroup": 64,
  "aws:sqs/queue:Queue": 80,
};

/** build() under an exact name (build() numbers its names). */
async function buildNamed(name: string, args: WorkerEnvironmentArgs): Promise<Stack> {
  const env = new WorkerEnvironment(name, args);
  await settled();
  return new Stack(name, env, []);
}

/** Every capped child's longest physical name fits (the mocks record logical names; Pulumi adds the suffix). */
function assertAllFit(s: Stack): number {
  let checked = 0;
  for (const r of s.all()) {
    const cap = CAPS[r.type];
    if (cap === undefined) continue;
    const fifo = r.type === "aws:sqs/queue:Queue" && r.inputs.fifoQueue === true ? ".fifo".length : 0;
    const length = r.name.length + AUTONAME_SUFFIX_LENGTH + fifo;
    assert.ok(length <= cap, `${r.type} ${r.name}: ${length} > ${cap}`);
    checked++;
  }
  return checked;
}

const periodic = [{ name: "p", url: "/p", schedule: "@daily" }];

describe("physical name limits", () => {
  it("the longest accepted names fit every cap: 46-character component, 4-character rule", async () => {
    const name = "a".repeat(46);
    const args = { ...minimal(), periodicTasks: periodic, eventRules: [{ name: "abcd", eventPattern: "{}" }] };
    assert.doesNotThrow(() => validateArgs(name, args));
    const s = await buildNamed(name, args);
    // task, execution and scheduler roles; queue, DLQ, rules DLQ; the rule; the schedule group.
    assert.equal(assertAllFit(s), 8);
  });

  it("a FIFO queue's name keeps room for .fifo", async () => {
    const name = "b".repeat(46);
    const args = { ...minimal(), queue: { fifo: true } };
    assert.doesNotThrow(() => validateArgs(name, args));
    // task and execution roles; queue and DLQ, both FIFO.
    const s = await buildNamed(name, args);
    assert.equal(assertAllFit(s), 4);
    assert.deepEqual(s.ofType("aws:sqs/queue:Queue").map((q) => q.inputs.fifoQueue), [true, true]);
  });

  it("one character more fails the preview, naming the limit and how much to shorten", () => {
    assert.throws(
      () => validateArgs("c".repeat(47), minimal()),
      /component name "c{47}" is 47 characters: the IAM role "c{47}-execution-<7 random>" would be 65, over AWS's limit of 64; shorten the component name by 1 character \(to at most 46\)/,
    );
    assert.throws(
      () => validateArgs("d".repeat(46), { ...minimal(), eventRules: [{ name: "abcde", eventPattern: "{}" }] }),
      /eventRules "abcde": the EventBridge rule "d{46}-rule-abcde-<7 random>" would be 65 characters, over AWS's limit of 64; shorten the rule name or the component name by 1 character together/,
    );
  });

  it("reports one message for the component name however many children it breaks", () => {
    try {
      validateArgs("e".repeat(70), { ...minimal(), periodicTasks: periodic });
      assert.fail("expected an error");
    } catch (err) {
      const lines = (err as Error).message.split("\n- ").slice(1);
      assert.equal(lines.length, 1, lines.join("\n"));
      assert.match(lines[0] ?? "", /shorten the component name by 24 characters/);
    }
  });

  it("a queue's 80-character cap binds only when roles do not: an existing queue needs no queue names", () => {
    assert.doesNotThrow(() => validateArgs("f".repeat(46), { ...minimal(), existingQueue: { url: "u", arn: "a" } }));
  });

  it("refuses a component name that ECS or SQS names cannot carry", () => {
    assert.throws(() => validateArgs("my.worker", minimal()), /component name "my\.worker": .* allow only letters, digits, "-" and "_"; rename the component/);
  });
});
