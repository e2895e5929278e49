/**
 * The header names a user may configure (HmacHeader, AuthorizationHeaderName) cannot take
 * over a header of the contract: the reserved list is what buildHeaders really sends.
 */
import { strict as assert } from "node:assert";
import { loadConfig } from "../../sidecar/config";
import { ATTRIBUTE_HEADER_PREFIX, CONTRACT_HEADERS, headerNameProblem } from "../../sidecar/header-names";
import { buildHeaders } from "../../sidecar/headers";
import type { ReceivedMessage } from "../../sidecar/message";

const QUEUE = "https://sqs.eu-west-1.amazonaws.com/000000000000/jobs.fifo";

/** A message with every optional field the daemon turns into a header. */
const EVERYTHING: ReceivedMessage = {
  id: "m-1",
  receiptHandle: "r",
  body: "{}",
  receiveCount: 2,
  firstReceivedAt: 1_700_000_000_000,
  sentAt: 1_700_000_000_000,
  senderId: "AIDAEXAMPLE",
  traceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793",
  groupId: "g",
  sequenceNumber: "1",
  deduplicationId: "d",
  attributes: { colour: { DataType: "String", StringValue: "red" } },
  task: { name: "nightly", path: "/nightly", scheduledAt: "2026-12-04T00:00:00Z" },
  receivedAt: 1_700_000_000_500,
};

describe("sidecar: configurable header names", () => {
  it("the reserved names are exactly the headers a delivery carries, besides attributes and the two configurable ones", () => {
    const cfg = loadConfig({}, { WorkerQueueURL: QUEUE, HmacSecret: "s", AuthorizationHeader: "Bearer x", AuthorizationHeaderName: "X-Api-Key" });
    const sent = Object.keys(buildHeaders(cfg, EVERYTHING, "http://127.0.0.1/", Buffer.from("{}")).headers);
    assert.ok(sent.includes("x-api-key") && sent.includes("x-aws-sqsd-hmac"), "both configurable headers are sent");
    const contract = sent.filter((h) => !h.startsWith(ATTRIBUTE_HEADER_PREFIX) && h !== "x-api-key" && h !== "x-aws-sqsd-hmac");
    const http = ["host", "content-length", "connection", "transfer-encoding"];
    assert.deepEqual([...CONTRACT_HEADERS].filter((h) => !http.includes(h)).sort(), contract.sort());
  });

  it("any reserved name, in any case, is refused; an ordinary token is not", () => {
    for (const h of CONTRACT_HEADERS) assert.match(headerNameProblem(h.toUpperCase()) ?? "", /sets itself/, h);
    assert.match(headerNameProblem("X-Aws-Sqsd-Attr-colour") ?? "", /sets itself/);
    assert.equal(headerNameProblem("X-Api-Key"), undefined);
    assert.match(headerNameProblem("X-Api-Key:") ?? "", /HTTP header name/);
  });
});
