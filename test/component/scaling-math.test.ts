import assert from "node:assert/strict";
import { stopTimeoutFor, targetBacklogPerTask } from "../../component/scaling-math";

describe("scaling-math", () => {
  const pairs: Array<[number, number, number]> = [
    [600, 0.25, 2400], // Copilot's example: 10 min / 250 ms
    [300, 1, 300],
    [60, 7, 8], // floor: 9 messages would take 63 s
    [10, 30, 1], // a message slower than the latency still needs one task
    [0.3, 0.1, 3], // float noise does not lose a message
    [120, 120, 1],
  ];
  for (const [latency, time, expected] of pairs) {
    it(`latency ${latency}s / ${time}s per message → ${expected} per task`, () => {
      assert.equal(targetBacklogPerTask(latency, time), expected);
    });
  }

  it("rejects non-positive inputs", () => {
    assert.throws(() => targetBacklogPerTask(0, 1), /acceptableLatency/);
    assert.throws(() => targetBacklogPerTask(10, -1), /messageProcessingTime/);
    assert.throws(() => targetBacklogPerTask(Number.NaN, 1), /acceptableLatency/);
  });

  it("derives stopTimeout from drainTimeout, capped at 120", () => {
    assert.equal(stopTimeoutFor(25), 30);
    assert.equal(stopTimeoutFor(0), 5);
    assert.equal(stopTimeoutFor(114.5), 120);
    assert.equal(stopTimeoutFor(115), 120);
  });
});
