/**
 * Queue inspection, pure: which SQS errors end a start (and as what), how the redrive policy
 * reads, and the rule that decides a dead letter: the queue's maxReceiveCount, never MaxRetries.
 */
import { strict as assert } from "node:assert";
import { deadLetterNext, fatalQueueError, readRedrivePolicy, redriveWarning } from "../../sidecar/queue-inspection";

describe("sidecar: queue inspection", () => {
  it("names the start failure of an SQS error by its name or (prefixed) code; retryable ones are not fatal", () => {
    const err = (name: string, Code?: string) => Object.assign(new Error("x"), { name, ...(Code ? { Code } : {}) });
    assert.equal(fatalQueueError(err("QueueDoesNotExist")), "queue-not-found");
    assert.equal(fatalQueueError(err("SQSServiceException", "AWS.SimpleQueueService.NonExistentQueue")), "queue-not-found");
    assert.equal(fatalQueueError(err("SQSServiceException", "com.amazonaws.sqs#QueueDoesNotExist")), "queue-not-found");
    assert.equal(fatalQueueError(err("AccessDenied")), "queue-access-denied");
    assert.equal(fatalQueueError(err("InvalidClientTokenId")), "queue-access-denied");
    assert.equal(fatalQueueError(err("ThrottlingException")), undefined);
    assert.equal(fatalQueueError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })), undefined);
    assert.equal(fatalQueueError("QueueDoesNotExist"), undefined, "only error objects");
  });

  it("reads the RedrivePolicy attribute: number or string maxReceiveCount, none, or a problem", () => {
    assert.deepEqual(readRedrivePolicy(undefined), {});
    assert.deepEqual(readRedrivePolicy({}), {});
    assert.deepEqual(readRedrivePolicy({ RedrivePolicy: '{"maxReceiveCount":3,"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq"}' }), {
      policy: { maxReceiveCount: 3, deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:dlq" },
    });
    assert.deepEqual(readRedrivePolicy({ RedrivePolicy: '{"maxReceiveCount":"5"}' }), { policy: { maxReceiveCount: 5 } });
    assert.match(readRedrivePolicy({ RedrivePolicy: "{nope" }).problem ?? "", /not JSON/);
    assert.match(readRedrivePolicy({ RedrivePolicy: '{"maxReceiveCount":0}' }).problem ?? "", /no valid maxReceiveCount/);
  });

  it("a hand-back is a dead letter from the policy's maxReceiveCount on, and never without a policy", () => {
    const three = { maxReceiveCount: 3 };
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => deadLetterNext(n, three)),
      [false, false, true, true],
    );
    assert.deepEqual(
      [1, 2, 10, 100].map((n) => deadLetterNext(n, undefined)),
      [false, false, false, false],
    );
  });

  it("warns when the queue has no policy, an unreadable one, or one that differs from MaxRetries", () => {
    assert.match(redriveWarning({}, 10) ?? "", /no redrive policy/);
    assert.match(redriveWarning({ problem: "RedrivePolicy is not JSON: x" }, 10) ?? "", /not JSON.*not counted/);
    assert.match(redriveWarning({ policy: { maxReceiveCount: 3 } }, 10) ?? "", /MaxRetries differs/);
    assert.equal(redriveWarning({ policy: { maxReceiveCount: 10 } }, 10), undefined);
  });
});
