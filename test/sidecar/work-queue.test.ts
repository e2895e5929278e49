/**
 * The held-message bounds and FIFO group ordering, on the data structure itself.
 */
import { strict as assert } from "node:assert";
import type { ReceivedMessage } from "../../sidecar/message";
import { WorkQueue } from "../../sidecar/work-queue";

let seq = 0;
function msg(groupId?: string): ReceivedMessage {
  seq++;
  return { id: `m${seq}`, receiptHandle: `rh${seq}`, body: "", receiveCount: 1, attributes: {}, receivedAt: 0, groupId };
}

describe("sidecar work queue", () => {
  it("never reserves past HttpConnections plus one receive's worth", async () => {
    const q = new WorkQueue(3, 10);
    const signal = new AbortController().signal;
    assert.equal(await q.reserve(signal), 10, "first receive may take a full batch");
    q.accept(Array.from({ length: 10 }, () => msg()), 1000);
    q.unreserve(10);
    const ac = new AbortController();
    const pending = q.reserve(ac.signal);
    const race = await Promise.race([pending, new Promise((r) => setTimeout(() => r("blocked"), 20))]);
    assert.equal(race, "blocked", "no room while 10 are held for 3 connections");
    ac.abort();
    assert.equal(await pending, 0);
  });

  it("while receives come back full, reserves the next receive when every slot is taken, within the same bound; otherwise not", async () => {
    const blocked = async (q: WorkQueue): Promise<boolean> => {
      const ac = new AbortController();
      const pending = q.reserve(ac.signal);
      const race = await Promise.race([pending, new Promise((r) => setTimeout(() => r("blocked"), 20))]);
      ac.abort();
      const got = await pending;
      q.unreserve(got); // a reservation made is given back: this only looks
      return race === "blocked";
    };
    for (const full of [true, false]) {
      const q = new WorkQueue(10, 10);
      const signal = new AbortController().signal;
      assert.equal(await q.reserve(signal), 10);
      q.received(full ? 10 : 4, 10);
      q.accept(Array.from({ length: 10 }, () => msg()), 1000);
      q.unreserve(10);
      for (let h = q.next(); h; h = q.next());
      // Ten in flight, none waiting: every slot is taken.
      assert.equal(await blocked(q), !full, full ? "a backlog: the next receive goes out now" : "no backlog: no receive while every slot is busy");
      if (full) {
        assert.equal(await q.reserve(signal), 10);
        assert.equal(await blocked(q), true, "and never past HttpConnections plus one receive's worth");
      }
    }
  });

  it("ReceiveAhead 3: while receives come back full, keeps reserving up to HttpConnections plus three receives' worth", async () => {
    const q = new WorkQueue(10, 10, 3);
    assert.equal(q.heldBound, 40);
    let taken = 0;
    for (;;) {
      const ac = new AbortController();
      const pending = q.reserve(ac.signal);
      const race = await Promise.race([pending, new Promise((r) => setTimeout(() => r("blocked"), 20))]);
      ac.abort();
      const got = await pending;
      if (race === "blocked") break;
      q.received(got, got);
      q.accept(Array.from({ length: got }, () => msg()), 1000);
      q.unreserve(got);
      for (let h = q.next(); h; h = q.next());
      taken += got;
    }
    assert.equal(taken, 40, "four receives: one to fill the ten slots, three ahead");
    assert.equal(q.heldCount, 40);
    assert.equal(q.activeCount, 10);
    assert.equal(await q.reserve(AbortSignal.timeout(20)), 0, "and none past the bound");
  });

  it("runs at most `concurrency` at once and frees a slot on finish", () => {
    const q = new WorkQueue(2, 10);
    q.accept([msg(), msg(), msg()], 1000);
    const a = q.next();
    const b = q.next();
    assert.ok(a && b);
    assert.equal(q.next(), undefined);
    q.finish(a);
    assert.ok(q.next());
    assert.equal(q.heldCount, 2);
  });

  it("keeps one message per FIFO group in flight, in receive order, groups in parallel", () => {
    const q = new WorkQueue(10, 10);
    const [a1, a2, b1, a3] = [msg("A"), msg("A"), msg("B"), msg("A")];
    q.accept([a1!, a2!, b1!, a3!], 1000);
    const first = q.next();
    const second = q.next();
    assert.equal(first?.msg.id, a1!.id);
    assert.equal(second?.msg.id, b1!.id, "group B runs beside group A");
    assert.equal(q.next(), undefined, "A2 waits for A1");
    q.finish(first!);
    assert.equal(q.next()?.msg.id, a2!.id);
    const taken = q.takeWaitingOfGroup("A");
    assert.deepEqual(taken.map((h) => h.msg.id), [a3!.id]);
  });

  it("hands every unposted message back on shutdown", () => {
    const q = new WorkQueue(1, 10);
    q.accept([msg(), msg(), msg()], 1000);
    const running = q.next();
    const waiting = q.takeAllWaiting();
    assert.equal(waiting.length, 2);
    assert.equal(q.heldCount, 1);
    q.finish(running!);
    assert.equal(q.heldCount, 0);
  });
});
