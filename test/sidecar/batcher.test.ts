/**
 * Group commit of batch calls: batching under load, per-entry failures retried or given up.
 * The send function here is the batcher's own seam (the SQS call is tested end to end).
 */
import { strict as assert } from "node:assert";
import { Batcher, type BatchFailure } from "../../sidecar/batcher";

type Entry = { ReceiptHandle: string };

describe("sidecar batcher", () => {
  it("sends a lone entry at once and batches entries that arrive while calls are in flight", async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const b = new Batcher<Entry>(
      async (entries) => {
        calls.push(entries.map((e) => e.ReceiptHandle));
        if (calls.length === 1) await gate;
        return [];
      },
      { concurrency: 1, maxAttempts: 3, onGiveUp: () => assert.fail("nothing should fail") },
    );
    const first = b.add({ ReceiptHandle: "a" }, "a");
    const rest = Array.from({ length: 12 }, (_, i) => b.add({ ReceiptHandle: `r${i}` }, `r${i}`));
    assert.deepEqual(calls, [["a"]], "the first entry did not wait for company");
    release();
    assert.deepEqual(await Promise.all([first, ...rest]), Array(13).fill(true));
    await b.idle();
    assert.deepEqual(calls.map((c) => c.length), [1, 10, 2], "at most 10 per call");
  });

  it("with maxWaitMs, a partial batch stops waiting for the call in flight after that long", async () => {
    const calls: Array<{ at: number; handles: string[] }> = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t0 = performance.now();
    const b = new Batcher<Entry>(
      async (entries) => {
        calls.push({ at: performance.now() - t0, handles: entries.map((e) => e.ReceiptHandle) });
        if (calls.length === 1) await gate; // the first call hangs until the end
        return [];
      },
      { concurrency: 2, maxWaitMs: 30, maxAttempts: 3, onGiveUp: () => assert.fail("nothing should fail") },
    );
    const first = b.add({ ReceiptHandle: "a" }, "a");
    const second = [b.add({ ReceiptHandle: "b" }, "b"), b.add({ ReceiptHandle: "c" }, "c")];
    assert.deepEqual(await Promise.all(second), [true, true], "b and c went out while a's call still hung");
    assert.deepEqual(calls.map((c) => c.handles), [["a"], ["b", "c"]]);
    assert.ok(calls[1]!.at >= 29, `waited maxWaitMs for company first (${calls[1]!.at.toFixed(1)} ms)`);
    release();
    assert.equal(await first, true);
    await b.idle();
  });

  it("retries entries the server failed, and gives up on sender faults at once", async () => {
    const seen = new Map<string, number>();
    const gaveUp: string[] = [];
    const b = new Batcher<Entry>(
      async (entries) => {
        const failed: BatchFailure[] = [];
        for (const e of entries) {
          const n = (seen.get(e.ReceiptHandle) ?? 0) + 1;
          seen.set(e.ReceiptHandle, n);
          if (e.ReceiptHandle === "flaky" && n < 3) failed.push({ Id: e.Id, Code: "InternalError", SenderFault: false });
          if (e.ReceiptHandle === "stale") failed.push({ Id: e.Id, Code: "ReceiptHandleIsInvalid", SenderFault: true });
        }
        return failed;
      },
      { concurrency: 2, maxAttempts: 5, onGiveUp: (entry, reason) => gaveUp.push(`${entry}: ${reason}`) },
    );
    const results = await Promise.all([b.add({ ReceiptHandle: "ok" }, "ok"), b.add({ ReceiptHandle: "flaky" }, "flaky"), b.add({ ReceiptHandle: "stale" }, "stale")]);
    assert.deepEqual(results, [true, true, false]);
    assert.equal(seen.get("flaky"), 3, "retried until accepted");
    assert.equal(seen.get("stale"), 1, "a sender fault is not retried");
    assert.equal(gaveUp.length, 1);
    assert.match(gaveUp[0]!, /stale: ReceiptHandleIsInvalid/);
  });

  it("retries a failed call and gives up after maxAttempts", async () => {
    let calls = 0;
    const gaveUp: number[] = [];
    const b = new Batcher<Entry>(
      async () => {
        calls++;
        throw new Error("connect ECONNREFUSED");
      },
      { concurrency: 1, maxAttempts: 3, onGiveUp: (_e, _r, attempts) => gaveUp.push(attempts) },
    );
    assert.equal(await b.add({ ReceiptHandle: "x" }, "x"), false);
    assert.equal(calls, 3);
    assert.deepEqual(gaveUp, [3]);
  });
});
