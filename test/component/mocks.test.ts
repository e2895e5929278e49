/**
 * The mock helpers wait for what was registered, not for a stretch of quiet: a resource whose
 * registration is answered late, or that is constructed in an apply on such a registration's
 * output, is in build()'s result. Without this, on a slow machine a positive check fails and a
 * negative one ("no scaling policy when ...") passes without having looked.
 */
import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { build, minimal, recorded, registrationDelays, settled } from "./mocks";

const TARGET = "aws:appautoscaling/target:Target";
const POLICY = "aws:appautoscaling/policy:Policy";
const TOPIC = "aws:sns/topic:Topic";
const LATE_MS = 300;

describe("mocks: build() and settled() wait for every registration", () => {
  afterEach(() => registrationDelays.clear());

  it(`sees policies and a resource constructed in an apply, all after a registration answered ${LATE_MS} ms late`, async () => {
    registrationDelays.set(TARGET, LATE_MS);
    const started = Date.now();
    const s = await build({ ...minimal(), scaling: { minCount: 0 } }, "late", {
      transformations: [
        (t) => {
          // The backlog policy's resourceId is the slow target's output: this apply runs late.
          if (t.type === POLICY && t.name.endsWith("-backlog")) {
            pulumi.output(t.props.resourceId as pulumi.Input<string>).apply((resourceId) => new aws.sns.Topic(`${t.name}-late`, { tags: { resourceId } }));
          }
          return undefined;
        },
      ],
    });
    assert.ok(Date.now() - started >= LATE_MS, "the slow registration was waited for");
    assert.equal(s.count(TARGET), 1);
    assert.deepEqual(s.ofType(POLICY).map((p) => p.name).sort(), ["backlog", "sleep", "wake"].map((n) => `${s.prefix}-${n}`));
    const late = s.one(TOPIC, "backlog-late");
    assert.deepEqual(late.inputs.tags, { resourceId: `service/${s.prefix}-cluster/${s.prefix}-service` });
  });

  it("settled() waits through chains: an apply on a late registration that constructs a resource whose own output constructs another", async () => {
    const first = "settled-chain-first";
    registrationDelays.set(first, LATE_MS);
    const topic = new aws.sns.Topic(first, {});
    topic.arn.apply((arn) => {
      const second = new aws.sqs.Queue("settled-chain-second", { tags: { topic: arn } });
      second.arn.apply((queueArn) => new aws.sqs.Queue("settled-chain-third", { tags: { queue: queueArn } }));
    });
    await settled();
    const names = recorded.filter((r) => r.name.startsWith("settled-chain-")).map((r) => r.name);
    assert.deepEqual(names, [first, "settled-chain-second", "settled-chain-third"]);
    assert.deepEqual(recorded.find((r) => r.name === "settled-chain-third")?.inputs.tags, { queue: "arn:aws:sqs:us-east-1:123456789012:settled-chain-second" });
  });
});
