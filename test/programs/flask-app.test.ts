/**
 * The blog's Flask app (programs/worker/app) behind the real sqsd sidecar, against the SQS
 * emulator: a message sent to the queue reaches the app, is printed on its stdout, and is
 * deleted. Needs python3 with Flask (`python3 -m pip install -r programs/worker/app/requirements.txt`).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { requireOrSkip } from "../support/ci-requirement";
import { daemonEnv } from "../support/daemon";
import { freePort, spawnManaged, type ManagedChild } from "../support/emulator-process";
import { REPO_ROOT, startSidecarProcess, type SidecarProcess } from "../support/sidecar-process";
import { sqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { eventually } from "../support/wait";

const APP = path.join(REPO_ROOT, "programs", "worker", "app", "app.py");
const EMPTY = { visible: 0, inFlight: 0, delayed: 0 };

/** Why the test cannot run here, or undefined when python3 and Flask are present. */
function missingPython(): string | undefined {
  const r = spawnSync("python3", ["-c", "import flask"], { encoding: "utf8" });
  if (r.error) return `python3 not found (${r.error.message})`;
  if (r.status !== 0) return `Flask is not installed for python3: python3 -m pip install -r programs/worker/app/requirements.txt (${r.stderr.trim().split("\n").pop() ?? ""})`;
  return undefined;
}

/** One line the app printed: {message_id, receive_count, task_name, body}. */
interface Printed {
  message_id: string | null;
  receive_count: string | null;
  task_name: string | null;
  body: unknown;
}

describe("programs/worker/app: Flask behind the real sidecar", function () {
  this.timeout(60_000);
  let server: SqsServer;
  let queue: TestQueue;
  let flask: ManagedChild;
  let sidecar: SidecarProcess;
  const printed: Printed[] = [];

  before(async function () {
    const missing = missingPython();
    if (missing) requireOrSkip(this, missing, ".ci/run installs programs/worker/app/requirements.txt");
    server = await sqsServer();
    queue = await server.createQueue({ maxReceiveCount: 3 });
    const port = await freePort();
    flask = spawnManaged("python3", ["-m", "flask", "--app", APP, "run", "--host", "127.0.0.1", "--port", String(port)], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", PYTHONUNBUFFERED: "1" },
    });
    flask.onLine((line) => {
      if (line.startsWith("{")) printed.push(JSON.parse(line) as Printed);
    });
    await eventually(
      async () => {
        const r = await fetch(`http://127.0.0.1:${port}/health`);
        assert.equal(r.status, 200);
        assert.deepEqual(await r.json(), { status: "ok" });
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    ).catch((err: unknown) => {
      throw new Error(`Flask did not answer /health: ${String(err)}\n${flask.logTail()}`);
    });
    // As in the task: the sidecar waits for /health, then posts each message to "/".
    sidecar = startSidecarProcess({
      env: daemonEnv(server, queue, `http://127.0.0.1:${port}/`, { HealthCheckPath: "/health", VisibilityTimeout: "30", ErrorVisibilityTimeout: "1", MaxRetries: "3" }),
    });
  });

  after(async () => {
    await sidecar?.stop();
    await flask?.stop();
    await queue?.delete();
  });

  it("prints the JSON of a message and answers 200, so the message is deleted", async () => {
    const body = { orderId: "o-1", customerId: "customer-0", amount: 12.5, note: "héllo" };
    const id = await queue.send(JSON.stringify(body));
    const line = await eventually(() => {
      const hit = printed.find((p) => p.message_id === id);
      assert.ok(hit, `no line for ${id} on the app's stdout yet:\n${flask.logTail()}`);
      return hit;
    });
    assert.deepEqual(line.body, body);
    assert.equal(line.receive_count, "1");
    assert.equal(line.task_name, null);
    // Deleted after the one post: a non-200 would have left it to come back (ErrorVisibilityTimeout 1 s).
    await eventually(async () => assert.deepEqual(await queue.counts(), EMPTY));
    assert.deepEqual(await queue.dlqCounts(), { visible: 0, inFlight: 0 });
    assert.equal(printed.filter((p) => p.message_id === id).length, 1, "posted once");
  });

  it("logs a body that is not JSON instead of failing it into the dead-letter queue", async () => {
    const id = await queue.send("plain text");
    const line = await eventually(() => {
      const hit = printed.find((p) => p.message_id === id);
      assert.ok(hit, "no line yet");
      return hit;
    });
    assert.deepEqual(line.body, { unparsed: "plain text" });
    await eventually(async () => assert.deepEqual(await queue.counts(), EMPTY));
    assert.equal(printed.filter((p) => p.message_id === id).length, 1, "delivered once");
  });
});
