/**
 * Periodic tasks: a cron.yaml run arrives as an SQS message with beanstalk.sqsd.*
 * attributes and is POSTed to the task's path with the Taskname, Scheduled-At and Path
 * headers. A task path that is not a plain URL path is never posted.
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { type MessageAttributeValue } from "../support/sqs-server";
import { eventually } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

const BODY = "elasticbeanstalk scheduled job";
const EMPTY = { visible: 0, inFlight: 0, delayed: 0 };

function taskAttrs(name: string, path: string, at: string): Record<string, MessageAttributeValue> {
  return {
    "beanstalk.sqsd.task_name": { DataType: "String", StringValue: name },
    "beanstalk.sqsd.path": { DataType: "String", StringValue: path },
    "beanstalk.sqsd.scheduled_time": { DataType: "String", StringValue: at },
  };
}

describe("sidecar: periodic tasks", function () {
  const t = sidecarTest();

  async function run() {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp({ status: 200 });
    // HttpPath=/work: a task must go to its own path, not this one.
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { MaxRetries: "5", HttpPath: "/work", VisibilityTimeout: "30", ErrorVisibilityTimeout: "1" }));
  }

  it("POSTs a scheduled job to the task's path with the task headers, and deletes it on 200", async () => {
    await run();
    await t.queue.send(BODY, taskAttrs("backup-job", "/backup", "2026-11-29T12:00:00Z"));
    const [req] = await t.app.waitForRequests(1);
    assert.equal(req!.method, "POST");
    assert.equal(req!.path, "/backup");
    assert.equal(req!.headers["x-aws-sqsd-taskname"], "backup-job");
    assert.equal(req!.headers["x-aws-sqsd-scheduled-at"], "2026-11-29T12:00:00Z");
    assert.equal(req!.headers["x-aws-sqsd-path"], "/backup");
    const leaked = Object.keys(req!.headers).filter((k) => k.startsWith("x-aws-sqsd-attr-"));
    assert.deepEqual(leaked, [], "beanstalk.sqsd.* attributes are not forwarded");
    assert.deepEqual(req!.body, Buffer.from(BODY));
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
  });

  for (const bad of ["http://elsewhere/x", "no-slash", "//double"]) {
    it(`never POSTs a task with path ${JSON.stringify(bad)}, keeps it, and keeps running`, async () => {
      await run();
      const id = await t.queue.send(BODY, taskAttrs("evil", bad, "2026-11-29T12:00:00Z"));
      // Failed as invalid, then back after ErrorVisibilityTimeout and failed again: not deleted.
      const second = await t.d.waitFor("failed", (e) => e.message.id === id && e.message.receiveCount === 2);
      assert.equal(second.outcome, "invalid");
      assert.equal(second.message.task, "evil");
      assert.match(second.reason, /path/);
      assert.equal(second.retryInSeconds, 1);
      assert.equal(t.d.seen("delivered", (e) => e.message.id === id).length, 0, "never deleted");
      // The daemon is still working: an ordinary message goes out as usual.
      const okId = await t.queue.send("{}");
      const [req] = await t.app.waitForRequests(1);
      assert.equal(req!.headers["x-aws-sqsd-msgid"], okId);
      assert.equal(req!.path, "/work");
      assert.equal(t.app.requests.length, 1, "the bad task was never posted");
      const c = await t.queue.counts();
      assert.ok(c.visible + c.inFlight >= 1, `bad task still in the queue: ${JSON.stringify(c)}`);
    });
  }
});
