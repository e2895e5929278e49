/**
 * One timer for many timeouts of one duration (deadlines.ts): entries expire in the order
 * they were added, finished ones never expire, and the timer re-arms for the oldest left.
 */
import { strict as assert } from "node:assert";
import { Deadlines } from "../../sidecar/deadlines";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("sidecar: deadlines", () => {
  it("expires entries oldest first, skips the deleted ones, and re-arms for later ones", async () => {
    const expired: string[] = [];
    const d = new Deadlines<string>(300, (e) => expired.push(e));
    d.add("a");
    await sleep(20);
    d.add("b");
    d.add("c");
    d.delete("a"); // finished in time: the timer armed for it fires and finds nothing
    await sleep(30);
    assert.deepEqual(expired, [], "not due yet");
    while (expired.length < 2) await sleep(20);
    assert.deepEqual(expired, ["b", "c"]);
    assert.equal(d.size, 0);
    d.add("d");
    while (expired.length < 3) await sleep(20);
    assert.deepEqual(expired, ["b", "c", "d"], "armed again after going empty");
    d.close();
  });

  it("close() stops the timer: nothing expires afterwards", async () => {
    const expired: string[] = [];
    const d = new Deadlines<string>(30, (e) => expired.push(e));
    d.add("x");
    d.close();
    await sleep(80);
    assert.deepEqual(expired, []);
    assert.deepEqual([...d.values()], ["x"]);
  });
});
