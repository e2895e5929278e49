/**
 * One validator for a periodic task (sidecar/periodic-task.ts): the component, local mode and
 * the daemon accept and refuse exactly the same names, paths and schedules, so a cron.yaml
 * that deploys also runs locally and is never refused at delivery time.
 */
import assert from "node:assert/strict";
import type { WorkerEnvironmentArgs } from "../../component/args";
import { validateArgs, WorkerEnvironmentArgsError } from "../../component/validation";
import { loadCronYaml } from "../../local/cron-config";
import { ConfigError } from "../../local/errors";
import { loadConfig } from "../../sidecar/config";
import { Dispatcher } from "../../sidecar/dispatcher";
import type { ReceivedMessage } from "../../sidecar/message";
import { checkPeriodicTask, taskNameProblem, taskPathProblem, type PeriodicTaskFields } from "../../sidecar/periodic-task";
import { createLogger } from "../../sidecar/telemetry";

const OK: PeriodicTaskFields = { name: "backup-job", url: "/backup", schedule: "0 */12 * * *" };

/** Each a task the validator must refuse (one bad field), or accept. */
const CASES: Array<[string, PeriodicTaskFields, boolean]> = [
  ["a plain task", OK, true],
  ["a macro", { ...OK, schedule: "@daily" }, true],
  ["a query in the path", { ...OK, url: "/jobs?kind=full" }, true],
  ["dots and underscores in the name", { ...OK, name: "nightly.report_v2" }, true],
  ["a path with two leading slashes", { ...OK, url: "//x" }, false],
  ["a path with a space", { ...OK, url: "/a b" }, false],
  ["a path with a fragment", { ...OK, url: "/a#b" }, false],
  ["a path without the slash", { ...OK, url: "backup" }, false],
  ["an absolute URL", { ...OK, url: "http://elsewhere/x" }, false],
  ["a name with a space", { ...OK, name: "a b" }, false],
  ["a 65-character name", { ...OK, name: "n".repeat(65) }, false],
  ["both day fields restricted", { ...OK, schedule: "0 0 1 * 1" }, false],
  ["six fields", { ...OK, schedule: "0 0 * * * *" }, false],
  ["a bad minute", { ...OK, schedule: "61 * * * *" }, false],
];

function componentAccepts(task: PeriodicTaskFields): boolean {
  const args: WorkerEnvironmentArgs = { app: { image: "public.ecr.aws/fake/app:1" }, periodicTasks: [task] };
  try {
    validateArgs("t", args);
    return true;
  } catch (err) {
    assert.ok(err instanceof WorkerEnvironmentArgsError, String(err));
    return false;
  }
}

function localAccepts(task: PeriodicTaskFields): boolean {
  const yaml = `version: 1\ncron:\n  - name: ${JSON.stringify(task.name)}\n    url: ${JSON.stringify(task.url)}\n    schedule: ${JSON.stringify(task.schedule)}\n`;
  try {
    loadCronYaml(yaml);
    return true;
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return false;
  }
}

const dispatcher = new Dispatcher(
  loadConfig({}, { WorkerQueueURL: "https://sqs.us-east-1.amazonaws.com/123456789012/q", TaskProtection: "off", HttpUrl: "http://127.0.0.1:8080/" }),
  createLogger("silent"),
);

function daemonPosts(path: string): boolean {
  const msg = { task: { name: "t", path, scheduledAt: "" } } as ReceivedMessage;
  return dispatcher.targetUrl(msg) !== undefined;
}

describe("periodic tasks: one validator for the component, local mode and the daemon", () => {
  for (const [title, task, valid] of CASES) {
    it(`${valid ? "accepts" : "refuses"} ${title} everywhere`, () => {
      assert.equal(checkPeriodicTask(task).problems.length === 0, valid, checkPeriodicTask(task).problems.join("; "));
      assert.equal(componentAccepts(task), valid, "component");
      assert.equal(localAccepts(task), valid, "local mode");
      // The daemon sees only the path (the name and schedule never reach it).
      assert.equal(daemonPosts(task.url), taskPathProblem(task.url) === undefined, "daemon");
    });
  }

  it("names the field and the fix", () => {
    assert.match(taskPathProblem("//x") ?? "", /^path "\/\/x" is not a URL path: start it with a single "\/"/);
    assert.match(taskNameProblem("a b") ?? "", /use 1-64 letters, digits/);
    const { problems, expression } = checkPeriodicTask({ name: "a", url: "/a", schedule: "0 0 1 * 1" });
    assert.equal(expression, undefined);
    assert.match(problems[0] ?? "", /^schedule is not valid: .*restricts both day of month.*; use a standard 5-field cron expression in UTC/);
    assert.equal(checkPeriodicTask(OK).expression, "cron(0 0/12 * * ? *)");
  });

  it("the daemon's refusal says which path and how to fix it", async () => {
    const d = await dispatcher.deliver({ task: { name: "t", path: "/a b", scheduledAt: "" } } as ReceivedMessage, new AbortController().signal);
    assert.equal(d.kind, "invalid");
    assert.match(d.kind === "invalid" ? d.error : "", /^periodic task path "\/a b" is not a URL path/);
  });
});
