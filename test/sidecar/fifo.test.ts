/**
 * FIFO queues: one message at a time per message group, in order; groups in parallel;
 * a failure holds back the rest of its group so order survives retries.
 */
import { strict as assert } from "node:assert";
import { startApp, type RecordedRequest } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

describe("sidecar: FIFO queues", function () {
  const t = sidecarTest();

  /** Per group, the bodies in the order the app finished them, and whether any two overlapped. */
  function byGroup(reqs: RecordedRequest[]) {
    const groups = new Map<string, string[]>();
    for (const r of reqs) {
      const g = String(r.headers["x-aws-sqsd-message-group-id"]);
      groups.set(g, [...(groups.get(g) ?? []), r.body.toString()]);
    }
    return groups;
  }

  it("posts each group's messages one at a time, in order, with groups in parallel", async () => {
    t.queue = await t.server.createQueue({ fifo: true });
    const active = new Map<string, number>();
    let overlap = false;
    let parallelGroups = 0;
    t.app = await startApp(async (req) => {
      const g = String(req.headers["x-aws-sqsd-message-group-id"]);
      const n = (active.get(g) ?? 0) + 1;
      active.set(g, n);
      if (n > 1) overlap = true;
      parallelGroups = Math.max(parallelGroups, [...active.values()].filter((v) => v > 0).length);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 40));
      active.set(g, (active.get(g) ?? 1) - 1);
      return { status: 200 };
    });
    const groups = ["A", "B", "C"];
    for (let i = 0; i < 8; i++) for (const g of groups) await t.queue.send(`${g}-${i}`, undefined, { groupId: g, dedupId: `${g}-${i}` });
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { HttpConnections: "10" }));
    const reqs = await t.app.waitForRequests(24, 30_000);
    assert.equal(overlap, false, "never two messages of one group at once");
    assert.ok(parallelGroups >= 2, `groups ran in parallel (max ${parallelGroups})`);
    for (const [g, bodies] of byGroup(reqs)) assert.deepEqual(bodies, Array.from({ length: 8 }, (_, i) => `${g}-${i}`), `group ${g} in order`);
    const first = reqs[0]!;
    assert.ok(first.headers["x-aws-sqsd-sequence-number"], "sequence number header");
    assert.ok(first.headers["x-aws-sqsd-message-deduplication-id"], "deduplication id header");
    await eventually(async () => assert.deepEqual(await t.queue.counts(), { visible: 0, inFlight: 0, delayed: 0 }));
  });

  it("keeps order within a group when a message fails and is retried", async () => {
    t.queue = await t.server.createQueue({ fifo: true });
    let failedOnce = false;
    t.app = await startApp((req) => {
      if (req.body.toString() === "G-1" && !failedOnce) {
        failedOnce = true;
        return { status: 500 };
      }
      return { status: 200 };
    });
    for (let i = 0; i < 4; i++) await t.queue.send(`G-${i}`, undefined, { groupId: "G", dedupId: `G-${i}` });
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { ErrorVisibilityTimeout: "1" }));
    await eventually(() => assert.equal(t.app.requests.filter((r) => r.headers["x-aws-sqsd-receive-count"] !== undefined && r.body.toString() === "G-3").length, 1), {
      timeoutMs: 20_000,
    });
    const order = t.app.requests.map((r) => r.body.toString());
    assert.deepEqual(order, ["G-0", "G-1", "G-1", "G-2", "G-3"], "G-2 and G-3 waited for G-1's retry");
  });
});
