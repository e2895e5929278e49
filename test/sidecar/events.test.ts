/**
 * The event machinery, pure: the typed emitter (once, off, a throwing listener cannot break
 * the emitter's caller or the other listeners), the list of event names, and the abort
 * fan-out that keeps one listener on a shared signal.
 */
import { strict as assert } from "node:assert";
import { AbortFanout } from "../../sidecar/abort-fanout";
import { DAEMON_EVENT_NAMES } from "../../sidecar/daemon-events";
import { TypedEmitter } from "../../sidecar/typed-emitter";

interface TestEvents {
  ping: { n: number };
  done: Record<string, never>;
}

class Emitter extends TypedEmitter<TestEvents> {
  tell<K extends keyof TestEvents>(event: K, payload: TestEvents[K]): void {
    this.emit(event, payload);
  }
}

describe("sidecar: events", () => {
  it("calls on() listeners every time, once() listeners once, and not after off()", () => {
    const e = new Emitter();
    const seen: string[] = [];
    const always = (p: { n: number }) => seen.push(`on ${p.n}`);
    e.on("ping", always);
    e.once("ping", (p) => seen.push(`once ${p.n}`));
    e.tell("ping", { n: 1 });
    e.tell("ping", { n: 2 });
    e.off("ping", always);
    e.tell("ping", { n: 3 });
    assert.deepEqual(seen, ["on 1", "once 1", "on 2"]);
    assert.equal(e.listenerCount("ping"), 0);
  });

  it("a throwing listener neither stops the emit nor the other listeners; its error surfaces as uncaught", async () => {
    const e = new Emitter();
    const seen: number[] = [];
    e.on("ping", () => {
      throw new Error("listener bug");
    });
    e.on("ping", (p) => seen.push(p.n));
    const uncaught = new Promise<Error>((resolve) => {
      const listeners = process.listeners("uncaughtException");
      process.removeAllListeners("uncaughtException");
      process.once("uncaughtException", (err) => {
        for (const l of listeners) process.on("uncaughtException", l);
        resolve(err);
      });
    });
    assert.doesNotThrow(() => e.tell("ping", { n: 7 }));
    assert.deepEqual(seen, [7]);
    assert.equal((await uncaught).message, "listener bug");
  });

  it("lists every event name once", () => {
    assert.equal(new Set(DAEMON_EVENT_NAMES).size, DAEMON_EVENT_NAMES.length);
    for (const name of ["started", "receiving", "delivered", "failed", "timed-out", "released", "expired", "dead-lettered", "protection", "stopping", "stopped"]) {
      assert.ok(DAEMON_EVENT_NAMES.includes(name as (typeof DAEMON_EVENT_NAMES)[number]), name);
    }
  });

  it("AbortFanout: one listener on the parent aborts every child; released children are forgotten", () => {
    const parent = new AbortController();
    const fanout = new AbortFanout(parent.signal);
    const kept = Array.from({ length: 50 }, () => fanout.child());
    const released = fanout.child();
    fanout.release(released);
    assert.equal(fanout.size, 50);
    parent.abort();
    assert.ok(kept.every((c) => c.signal.aborted));
    assert.equal(released.signal.aborted, false);
    assert.equal(fanout.size, 0);
    assert.equal(fanout.child().signal.aborted, true, "a child after the abort is aborted at once");
  });
});
