/**
 * Bad input and AWS refusals: each gives one line on stderr naming the call and the
 * resource, and its documented exit code (ops/errors.ts EXIT, docs/operating.md). A wrong
 * queue URL and missing credentials against the real emulator; access denied, throttling
 * and rejected credentials from the stand-in answering as SQS would.
 */
import assert from "node:assert/strict";
import { sqsServer, type SqsServer } from "../support/sqs-server";
import { startStandIn, type StandIn } from "./aws-stand-in";
import { ops } from "./run-ops";

describe("sqsd-worker status/dlq/send: failures, one line and an exit code each", function () {
  this.timeout(60_000);
  let server: SqsServer;
  let aws: StandIn;
  before(async () => {
    server = await sqsServer();
    aws = await startStandIn();
  });
  after(() => aws.close());
  beforeEach(() => aws.fail.clear());

  it("a queue URL that names no queue: exit 6", async () => {
    const url = `${server.endpoint}/000000000000/no-such-queue`;
    const r = await ops(["dlq", "list", "--queue-url", url, "--endpoint", server.endpoint]);
    assert.equal(r.code, 6, r.out);
    assert.equal(r.out, `sqsd-worker dlq: SQS GetQueueAttributes on ${url}: does not exist (QueueDoesNotExist); check the URL or name, and the region\n`);
  });

  it("something that is not a queue URL, or no target at all: exit 2", async () => {
    const r = await ops(["status", "--queue-url", "sqs://x"]);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /^sqsd-worker status: --queue-url "sqs:\/\/x": not a queue URL/);
    const none = await ops(["send", "--body", "x"]);
    assert.equal(none.code, 2, none.out);
    assert.match(none.out, /give --stack <name> \(a deployed stack\) or --queue-url <url>/);
  });

  it("no credentials anywhere in the standard chain: exit 4", async () => {
    const url = `${server.endpoint}/000000000000/any`;
    const r = await ops(["status", "--queue-url", url, "--endpoint", server.endpoint], { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    assert.equal(r.code, 4, r.out);
    assert.match(r.out, /^sqsd-worker status: no AWS credentials found \(standard chain: .*\n$/);
  });

  const refusals: Array<[string, { type: string; queryCode: string; status: number }, number, RegExp]> = [
    ["credentials rejected", { type: "com.amazon.coral.service#UnrecognizedClientException", queryCode: "InvalidClientTokenId", status: 400 }, 4, /the AWS credentials were rejected/],
    ["access denied", { type: "com.amazon.coral.service#AccessDeniedException", queryCode: "AccessDenied", status: 400 }, 5, /access denied \(.*\); the credentials need that permission/],
    ["throttling", { type: "com.amazonaws.sqs#ThrottlingException", queryCode: "RequestThrottled", status: 400 }, 7, /throttled by AWS .*still after retries/],
  ];
  for (const [what, answer, code, line] of refusals) {
    it(`${what}: exit ${code}`, async () => {
      aws.fail.set("GetQueueAttributes", { ...answer, message: what });
      const url = `${aws.endpoint}/000000000000/orders`;
      const r = await ops(["dlq", "list", "--queue-url", url, "--endpoint", aws.endpoint]);
      assert.equal(r.code, code, r.out);
      assert.equal(r.out.split("\n").length, 2, r.out);
      assert.match(r.out, new RegExp(`^sqsd-worker dlq: SQS GetQueueAttributes on ${url}: `));
      assert.match(r.out, line);
    });
  }
});
