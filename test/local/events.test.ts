/**
 * Local mode's view of the sidecar: delivery outcomes from the daemon's typed events (not
 * from its log text) into the tally and the live view; other log lines as notes.
 */
import assert from "node:assert/strict";
import type { DaemonEventName, DaemonEvents } from "../../sidecar/daemon-events";
import { TypedEmitter } from "../../sidecar/typed-emitter";
import { DELIVERY_EVENTS, onDelivery, parseLogNote, type DeliveryEvent } from "../../local/events";
import { LiveView } from "../../local/live-view";
import { Tally, summaryLines } from "../../local/tally";

/** A stand-in for the daemon: the same emitter, with emit open to the test. */
class FakeDaemon extends TypedEmitter<DaemonEvents> {
  tell<K extends DaemonEventName>(event: K, payload: DaemonEvents[K]): void {
    this.emit(event, payload);
  }
}

describe("local: the sidecar's events in the tally and the live view", () => {
  it("counts deliveries, retries and dead letters (failed or timed out on the last try) from events", () => {
    const daemon = new FakeDaemon();
    const tally = new Tally();
    const lines: string[] = [];
    const view = new LiveView((l) => lines.push(l), 10);
    onDelivery(daemon, (e) => {
      tally.record(e);
      view.delivery(e);
    });
    tally.sent(4);
    daemon.tell("delivered", { message: { id: "a", receiveCount: 1 }, status: 200, latencyMs: 5 });
    daemon.tell("failed", { message: { id: "b", receiveCount: 1 }, outcome: "response", status: 500, reason: "status 500", retryInSeconds: 1, latencyMs: 7, deadLetterNext: false, maxReceiveCount: 2 });
    daemon.tell("failed", { message: { id: "b", receiveCount: 2 }, outcome: "response", status: 500, reason: "status 500", retryInSeconds: 1, latencyMs: 9, deadLetterNext: true, maxReceiveCount: 2 });
    daemon.tell("timed-out", { message: { id: "c", receiveCount: 1 }, latencyMs: 1000, deadLetterNext: false, maxReceiveCount: 2 });
    daemon.tell("timed-out", { message: { id: "c", receiveCount: 2 }, latencyMs: 1000, deadLetterNext: true, maxReceiveCount: 2 });
    daemon.tell("failed", { message: { id: "d", receiveCount: 1, task: "backup" }, outcome: "connection-error", reason: "ECONNRESET: socket hang up", retryInSeconds: 1, latencyMs: 3, deadLetterNext: false });
    // Events the view does not show as deliveries change nothing here.
    daemon.tell("released", { message: { id: "e", receiveCount: 1 }, reason: "not-posted", deadLetterNext: false });

    assert.deepEqual(tally.totals, { sent: 4, delivered: 1, retried: 3, deadLettered: 2, timedOut: 2 });
    assert.deepEqual([...tally.settled], ["a", "b", "c"]);
    assert.ok(summaryLines(tally, { inFlight: 0, queueDepth: 0, dlqDepth: 2, elapsedMs: 1 }).includes("dead-lettered: 2"));
    const shown = lines.map((l) => l.slice(14));
    assert.match(shown[0]!, /^delivered +msg a {2}200 in 5\.0 ms \(try 1\/10\)$/);
    assert.match(shown[1]!, /^retry +msg b {2}HTTP 500 .*\(try 1\/2, back in 1 s\)$/, "try N of the queue's maxReceiveCount, not MaxRetries");
    assert.match(shown[2]!, /^dead-letter +msg b {2}HTTP 500 .*\(try 2\/2: last try/);
    assert.match(shown[3]!, /^timed out +msg c /);
    assert.match(shown[4]!, /^dead-letter +msg c {2}no answer .*last try/);
    assert.match(shown[5]!, /^retry +task backup {2}ECONNRESET: socket hang up/);
    assert.equal(shown.length, 6);
  });

  it("the outcomes local mode shows itself are the ones onDelivery turns into deliveries", () => {
    const daemon = new FakeDaemon();
    const seen: DeliveryEvent[] = [];
    onDelivery(daemon, (e) => seen.push(e));
    assert.deepEqual(
      DELIVERY_EVENTS.map((name) => daemon.listenerCount(name)),
      DELIVERY_EVENTS.map(() => 1),
    );
  });

  it("reads other log lines as notes without pino's base fields, and ignores non-JSON", () => {
    const line = JSON.stringify({ level: "warn", time: "t", svc: "sqsd", msg: "app unhealthy: receiving paused", reason: "x" });
    assert.deepEqual(parseLogNote(line), { kind: "note", level: "warn", msg: "app unhealthy: receiving paused", fields: { reason: "x" } });
    assert.equal(parseLogNote("not json"), undefined);
  });
});
