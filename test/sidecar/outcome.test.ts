/**
 * Outcome policy: which responses delete, which retry and after how long.
 */
import { strict as assert } from "node:assert";
import { loadConfig } from "../../sidecar/config";
import { decide, parseRetryAfter } from "../../sidecar/outcome";

const cfg = loadConfig({}, { WorkerQueueURL: "https://sqs.us-east-1.amazonaws.com/000000000000/q", ErrorVisibilityTimeout: "7" });
const now = Date.parse("2026-11-29T12:00:00Z");
const response = (status: number, retryAfter?: string) => ({ kind: "response" as const, status, retryAfter, latencyMs: 1 });

describe("sidecar outcome policy", () => {
  it("deletes on exactly 200 by default, on any 2xx when widened", () => {
    assert.equal(decide(cfg, response(200), now).kind, "delete");
    for (const s of [201, 202, 204, 301, 400, 404, 500]) assert.equal(decide(cfg, response(s), now).kind, "visibility", `status ${s}`);
    const wide = { ...cfg, successStatus: "2xx" as const };
    for (const s of [200, 201, 204, 299]) assert.equal(decide(wide, response(s), now).kind, "delete", `2xx: ${s}`);
    assert.equal(decide(wide, response(300), now).kind, "visibility");
  });

  it("uses ErrorVisibilityTimeout for failures and connection errors", () => {
    assert.deepEqual(decide(cfg, response(500), now), { kind: "visibility", seconds: 7, reason: "status 500" });
    const conn = decide(cfg, { kind: "connection-error", error: "ECONNRESET", refused: false, latencyMs: 1 }, now);
    assert.deepEqual(conn, { kind: "visibility", seconds: 7, reason: "ECONNRESET" });
  });

  it("honours Retry-After on 429 and 503 only", () => {
    assert.equal((decide(cfg, response(429, "120"), now) as { seconds: number }).seconds, 120);
    assert.equal((decide(cfg, response(503, "Sun, 29 Nov 2026 12:00:30 GMT"), now) as { seconds: number }).seconds, 30);
    assert.equal((decide(cfg, response(500, "120"), now) as { seconds: number }).seconds, 7);
    assert.equal((decide(cfg, response(429, "soon"), now) as { seconds: number }).seconds, 7);
  });

  it("clamps Retry-After to what SQS accepts", () => {
    assert.equal(parseRetryAfter("999999", now), 43200);
    assert.equal(parseRetryAfter("Sun, 29 Nov 2026 11:00:00 GMT", now), 0);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it("leaves a timed-out message alone and releases an aborted one at once", () => {
    assert.equal(decide(cfg, { kind: "timeout", latencyMs: 1 }, now).kind, "leave");
    assert.deepEqual(decide(cfg, { kind: "aborted", latencyMs: 1 }, now), {
      kind: "visibility",
      seconds: 0,
      reason: "shutdown: request aborted after the drain timeout",
    });
  });
});
