import assert from "node:assert/strict";
import { scalingDefinition, type ScalingDefinition, type ScalingSettingsInput, type TreatMissingData } from "../../component/scaling-math";
import { Alarm, type AlarmState } from "../scaling-sim/alarm";
import { evaluate, type Series } from "../scaling-sim/metric-math";
import { previousDesign } from "../scaling-sim/previous-design";
import { behaviourCases, drain, reviewCases, run, type Case } from "../scaling-sim/scenarios";

/** A series on a one-minute grid from a pattern: numbers, or "-" for a missing datapoint. */
function series(pattern: Array<number | "-">): Series {
  return new Map(pattern.flatMap((v, k) => (v === "-" ? [] : [[k * 60, v] as [number, number]])));
}
const grid = (n: number) => Array.from({ length: n }, (_, k) => k * 60);
const values = (s: Series, n: number) => grid(n).map((t) => s.get(t) ?? "-");

describe("scaling simulation", () => {
  describe("metric math evaluator (the examples of CloudWatch's metric-math page)", () => {
    const m = { metric1: series([30, 20, 0, 0]), metric2: series([20, "-", 20, "-"]) };
    for (const [expression, expected] of [
      ["metric1 < metric2", [0, 0, 1, 0]],
      ["metric1 >= 30", [1, 0, 0, 0]],
      ["metric1 > 15 AND metric2 > 15", [1, 0, 0, 0]],
    ] as const) {
      it(`${expression} → ${expected.join(", ")}`, () => {
        assert.deepEqual(values(evaluate(expression, { grid: grid(4), series: m }), 4), expected);
      });
    }
    const ifs = { metric1: series([1, 1, 0, 0, "-"]), metric2: series([30, "-", 0, 0, 30]), metric3: series([0, 0, 20, "-", 20]) };
    for (const [expression, expected] of [
      ["IF(metric1, metric2, metric3)", [30, 0, 20, "-", "-"]],
      ["IF(metric1, 5, metric3)", [5, 5, 20, "-", "-"]],
      ["IF(metric1, metric2, 5)", [30, 0, 5, 5, "-"]],
    ] as const) {
      it(`${expression} → ${expected.join(", ")}`, () => {
        assert.deepEqual(values(evaluate(expression, { grid: grid(5), series: ifs }), 5), expected);
      });
    }

    it("treats a missing operand as 0 and drops a division by zero", () => {
      const s = { a: series([4, "-", 6]), b: series([2, 2, 0]) };
      assert.deepEqual(values(evaluate("a + b", { grid: grid(3), series: s }), 3), [6, 2, 6]);
      assert.deepEqual(values(evaluate("a / b", { grid: grid(3), series: s }), 3), [2, 0, "-"]);
    });

    it("FILL fills every timestamp of the query: 0, REPEAT (never before the first value), LINEAR", () => {
      const s = { a: series(["-", 2, "-", 4, "-"]) };
      assert.deepEqual(values(evaluate("FILL(a, 0)", { grid: grid(5), series: s }), 5), [0, 2, 0, 4, 0]);
      assert.deepEqual(values(evaluate("FILL(a, REPEAT)", { grid: grid(5), series: s }), 5), ["-", 2, 2, 4, 4]);
      assert.deepEqual(values(evaluate("FILL(a, LINEAR)", { grid: grid(5), series: s }), 5), ["-", 2, 3, 4, "-"]);
    });

    it("rejects what it does not model instead of guessing", () => {
      assert.throws(() => evaluate("RATE(a)", { grid: grid(1), series: { a: series([1]) } }), /not modelled/);
      assert.throws(() => evaluate("a +", { grid: grid(1), series: { a: series([1]) } }), /end of/);
    });
  });

  describe("alarm evaluation (the tables of CloudWatch's missing-data section)", () => {
    // 0 not breaching, 1 breaching, "-" missing; oldest first; 5 retrieved for 3 periods.
    const rows: Array<[number, Array<0 | 1 | "-">, Record<TreatMissingData, AlarmState | "kept">]> = [
      [3, [0, "-", 1, "-", 1], { missing: "OK", ignore: "OK", breaching: "OK", notBreaching: "OK" }],
      [3, [0, "-", "-", "-", "-"], { missing: "OK", ignore: "OK", breaching: "OK", notBreaching: "OK" }],
      [3, ["-", "-", "-", "-", "-"], { missing: "INSUFFICIENT_DATA", ignore: "kept", breaching: "ALARM", notBreaching: "OK" }],
      [3, [0, 1, 1, "-", 1], { missing: "ALARM", ignore: "ALARM", breaching: "ALARM", notBreaching: "ALARM" }],
      [3, ["-", "-", "-", "-", 1], { missing: "INSUFFICIENT_DATA", ignore: "kept", breaching: "ALARM", notBreaching: "OK" }],
      [2, [0, "-", 1, "-", 1], { missing: "ALARM", ignore: "ALARM", breaching: "ALARM", notBreaching: "ALARM" }],
      [2, [0, 0, 1, 0, 1], { missing: "ALARM", ignore: "ALARM", breaching: "ALARM", notBreaching: "ALARM" }],
      [2, [0, "-", 1, "-", "-"], { missing: "OK", ignore: "OK", breaching: "ALARM", notBreaching: "OK" }],
      [2, ["-", "-", "-", "-", 0], { missing: "OK", ignore: "OK", breaching: "ALARM", notBreaching: "OK" }],
      [2, ["-", "-", "-", "-", 1], { missing: "INSUFFICIENT_DATA", ignore: "kept", breaching: "ALARM", notBreaching: "OK" }],
    ];
    for (const [m, pattern, expected] of rows) {
      for (const [treat, state] of Object.entries(expected) as Array<[TreatMissingData, AlarmState | "kept"]>) {
        it(`${m} of 3, ${pattern.join(" ")}, ${treat} → ${state}`, () => {
          const data = series(pattern);
          const alarm = new Alarm(
            { expressions: [{ id: "e1", expression: "m1" }], period: 60, evaluationPeriods: 3, datapointsToAlarm: m, breaches: (v) => v >= 1, treatMissingData: treat },
            ["m1"],
            () => data,
            2,
          );
          alarm.state = "OK";
          assert.equal(alarm.evaluate(5 * 60).state, state === "kept" ? "OK" : state);
        });
      }
    }

    it("FILL makes the newest datapoint the fill value: late data can never alarm a 1-of-1 alarm", () => {
      const late = series([1, 1, 1, "-", "-"]); // work seen, then the newest two minutes not published yet
      const make = (expression: string) =>
        new Alarm({ expressions: [{ id: "e1", expression }], period: 60, evaluationPeriods: 1, datapointsToAlarm: 1, breaches: (v) => v >= 1, treatMissingData: "notBreaching" }, ["m1"], () => late, 4);
      assert.equal(make("FILL(m1, 0)").evaluate(5 * 60).state, "OK");
      assert.equal(make("m1").evaluate(5 * 60).state, "ALARM");
    });
  });

  const expectPass = (c: Case) =>
    it(c.name, () => {
      assert.deepEqual(run(c).failures, []);
    });

  describe("the deployed design: the review's failures at 1 to 5 minutes of delay", () => {
    reviewCases().forEach(expectPass);
  });

  describe("the deployed design: wake, burst, steady load, drain", () => {
    behaviourCases().forEach(expectPass);
  });

  describe("the scenarios catch a bad design", () => {
    it("the previous design (bf1546f) fails every case of the review, at every delay", () => {
      const passing = reviewCases()
        .filter((c) => run(c, previousDesign).failures.length === 0)
        .map((c) => c.name);
      assert.deepEqual(passing, []);
    });

    it("the previous design overshoots a burst even with metrics on time (its divisor is the running count)", () => {
      const c = behaviourCases().find((x) => x.name === "a burst scales to what the backlog needs");
      assert.ok(c);
      assert.match(run(c, previousDesign).failures.join("\n"), /peak 20 tasks, the backlog needs 10/);
    });

    const mutants: Array<[string, (d: ScalingDefinition) => ScalingDefinition, RegExp]> = [
      ["a short scale-out cooldown", (d) => ({ ...d, backlog: { ...d.backlog, scaleOutCooldown: 60 } }), /^\(c\)/],
      ["a 1-of-1 wake alarm", (d) => ({ ...d, wake: d.wake && { ...d.wake, alarm: { ...d.wake.alarm, evaluationPeriods: 1 } } }), /^\(a\)/],
      ["a short wake cooldown", (d) => ({ ...d, wake: d.wake && { ...d.wake, policy: { ...d.wake.policy, cooldown: 60 } } }), /^\(b\)/],
      ["sleeping on FILL(…, 0)", (d) => ({ ...d, sleep: d.sleep && { ...d.sleep, alarm: { ...d.sleep.alarm, query: { ...d.sleep.alarm.query, expressions: [{ id: "e1", expression: "FILL(m1 + m2, 0)" }] } } } }), /SQS publishes nothing/],
    ];
    for (const [what, mutate, caught] of mutants) {
      it(`a scenario fails with ${what}`, () => {
        const design = (s: ScalingSettingsInput) => mutate(scalingDefinition(s));
        const failing = [...reviewCases(), ...behaviourCases()].filter((c) => run(c, design).failures.length > 0).map((c) => c.name);
        assert.ok(failing.some((n) => caught.test(n)), `no scenario matching ${caught} failed; failing: ${failing.join(", ") || "none"}`);
      });
    }

    it("without the sidecar's task protection, scale-in stops tasks that hold messages", () => {
      assert.match(run(drain("drain without protection", {}, false)).failures.join("\n"), /tasks stopped while holding a message/);
    });
  });
});
