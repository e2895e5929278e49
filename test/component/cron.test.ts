import assert from "node:assert/strict";
import { CronError, toSchedulerCron } from "../../component/cron";

describe("cron: 5-field → EventBridge Scheduler", () => {
  const cases: Array<[string, string]> = [
    ["* * * * *", "cron(* * * * ? *)"],
    ["0 */12 * * *", "cron(0 0/12 * * ? *)"],
    ["*/5 * * * *", "cron(0/5 * * * ? *)"],
    ["30 2 1 * *", "cron(30 2 1 * ? *)"],
    ["0 0 1,15 * *", "cron(0 0 1,15 * ? *)"],
    ["0 9 * * 1-5", "cron(0 9 ? * 2-6 *)"],
    ["0 9 * * MON-FRI", "cron(0 9 ? * 2-6 *)"],
    ["0 9 * * mon,wed,fri", "cron(0 9 ? * 2,4,6 *)"],
    ["0 0 * * 0", "cron(0 0 ? * 1 *)"],
    ["0 0 * * 7", "cron(0 0 ? * 1 *)"],
    ["0 0 * * 6,0", "cron(0 0 ? * 1,7 *)"],
    ["0 0 * * 5-7", "cron(0 0 ? * 1,6,7 *)"],
    ["0 0 * * */2", "cron(0 0 ? * 1,3,5,7 *)"],
    ["15 10 * JAN-MAR *", "cron(15 10 * JAN-MAR ? *)"],
    ["0 0 1 */3 *", "cron(0 0 1 1/3 ? *)"],
    ["5/15 * * * *", "cron(5/15 * * * ? *)"],
    ["0 8-18/2 * * *", "cron(0 8-18/2 * * ? *)"],
    ["@daily", "cron(0 0 * * ? *)"],
    ["@hourly", "cron(0 * * * ? *)"],
    ["@weekly", "cron(0 0 ? * 1 *)"],
    ["@monthly", "cron(0 0 1 * ? *)"],
    ["@yearly", "cron(0 0 1 1 ? *)"],
    ["  0   3 * * *  ", "cron(0 3 * * ? *)"],
    ["0 0 * * 0-6", "cron(0 0 * * ? *)"],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(toSchedulerCron(input), expected));
  }

  const invalid: Array<[string, RegExp]> = [
    ["* * * *", /expected 5 fields/],
    ["0 * * * * *", /expected 5 fields/],
    ["60 * * * *", /minute 60 is out of range 0-59/],
    ["0 24 * * *", /hour 24 is out of range/],
    ["0 0 0 * *", /day of month 0 is out of range/],
    ["0 0 * 13 *", /month 13 is out of range/],
    ["0 0 * * 8", /day of week 8 is out of range/],
    ["0 0 * * FOO", /"FOO" is not a valid day of week/],
    ["*/0 * * * *", /step "0"/],
    ["10-5 * * * *", /runs backwards/],
    ["0 0 1 * 1", /restricts both day of month/],
    ["0 0 */2 * 1", /restricts both day of month/],
    ["0 0 ? * 1", /not a valid day of month/],
    ["0 0 L * *", /not a valid day of month/],
    ["0 0 * * 1#2", /not a valid day of week/],
    ["a b c d e", /not a valid minute/],
    ["1,,2 * * * *", /bad minute/],
  ];
  for (const [input, message] of invalid) {
    it(`rejects "${input}"`, () => {
      assert.throws(() => toSchedulerCron(input), (err: unknown) => err instanceof CronError && message.test(err.message));
    });
  }
});
