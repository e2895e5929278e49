/**
 * The `sqsd` command as users run it: --help documents every option, config errors exit 2
 * with a message naming the variable, value and range, a valid configuration that cannot
 * start (queue missing, status port taken) exits 3, and the blog's simple-sqsd manifest
 * variables work unchanged.
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { startSidecarProcess } from "../support/sidecar-process";
import { OPTIONS } from "../../sidecar/options";
import { freePort } from "../support/emulator-process";
import { sidecarTest } from "../support/sidecar-test";

describe("sidecar: the sqsd command", function () {
  const t = sidecarTest();

  it("--help documents every option with its variables and default, and the headers", async () => {
    const proc = startSidecarProcess({ args: ["--help"] });
    const exit = await proc.exited;
    assert.equal(exit.code, 0);
    const help = proc.stdoutText.join("\n").replace(/\s+/g, " ");
    for (const o of OPTIONS) {
      assert.ok(help.includes(`--${o.flag}`), `flag --${o.flag}`);
      assert.ok(help.includes(o.name), `env ${o.name}`);
      for (const a of "aliases" in o ? o.aliases : []) assert.ok(help.includes(a), `alias ${a}`);
      if ("default" in o) assert.ok(help.includes(`default: ${o.default}`), `default of ${o.name}`);
    }
    for (const h of ["X-Aws-Sqsd-Msgid", "X-Aws-Sqsd-Attr-", "X-Aws-Sqsd-Scheduled-At", "Retry-After", "Exit codes"]) assert.ok(help.includes(h), h);
  });

  it("exits 2 naming the variable, the value and the allowed range", async () => {
    const proc = startSidecarProcess({ env: { SQSD_QUEUE_URL: "http://127.0.0.1:1/000000000000/q", Region: "us-east-1", HttpConnections: "0", InactivityTimeout: "36001" } });
    const exit = await proc.exited;
    assert.equal(exit.code, 2);
    const err = proc.stderr();
    assert.match(err, /HttpConnections="0": must be a whole number from 1 to 100/);
    assert.match(err, /InactivityTimeout="36001": must be a whole number from 1 to 36000 seconds/);
  });

  it("exits 2 when the queue URL is missing, 3 when the queue does not exist", async () => {
    const missing = startSidecarProcess({ env: {} });
    assert.equal((await missing.exited).code, 2);
    assert.match(missing.stderr(), /WorkerQueueURL is required/);

    const nowhere = startSidecarProcess({
      env: { WorkerQueueURL: `${t.server.endpoint}/000000000000/no-such-queue-${Date.now()}`, Endpoint: t.server.endpoint, StatusPort: "0" },
    });
    assert.equal((await nowhere.exited).code, 3, nowhere.stderr());
    assert.match(nowhere.stderr(), /cannot start \(queue-not-found\)/);
    assert.match(nowhere.stderr(), /WorkerQueueURL=.*no-such-queue/);
  });

  it("exits 3 when its status port is taken", async () => {
    t.queue = await t.server.createQueue();
    t.app = await startApp();
    const proc = startSidecarProcess({
      env: { WorkerQueueURL: t.queue.url, Endpoint: t.server.endpoint, HttpUrl: t.app.url, StatusPort: String(t.app.port) },
    });
    assert.equal((await proc.exited).code, 3);
    assert.match(proc.stderr(), /cannot start \(status-port-unavailable\)/);
    assert.match(proc.stderr(), new RegExp(`StatusPort=${t.app.port}: cannot listen`));
  });

  it("runs the blog's simple-sqsd manifest variables unchanged, and the rest of simple-sqsd's: used, or warned about once", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 3 });
    t.app = await startApp();
    const proc = startSidecarProcess({
      env: {
        SQSD_QUEUE_URL: t.queue.url,
        SQSD_QUEUE_REGION: t.server.region,
        SQSD_HTTP_URL: `${t.app.origin}/process`,
        SQSD_HTTP_CONTENT_TYPE: "application/json",
        SQSD_AWS_ENDPOINT: t.server.endpoint,
        SQSD_QUEUE_WAIT_TIME: "1",
        SQSD_HTTP_HEALTH_PATH: "/health",
        SQSD_HTTP_HEALTH_INTERVAL: "0.1",
        SQSD_HTTP_AUTHORIZATION_HEADER: "Bearer t0ken",
        SQSD_HTTP_AUTHORIZATION_HEADER_NAME: "X-Api-Key",
        SQSD_HTTP_HEALTH_WAIT: "5",
        SQSD_SQS_HTTP_TIMEOUT: "15",
        StatusPort: String(await freePort()),
      },
    });
    await t.queue.send('{"hello":"world"}');
    await t.app.waitForRequests(2, 20_000);
    const health = t.app.requests.find((r) => r.method === "GET");
    const post = t.app.requests.find((r) => r.method === "POST");
    assert.equal(health?.path, "/health");
    assert.equal(health?.headers["x-api-key"], "Bearer t0ken", "the health check carries the header too");
    assert.equal(post?.path, "/process");
    assert.equal(post?.headers["content-type"], "application/json");
    assert.equal(post?.headers["x-api-key"], "Bearer t0ken");
    assert.equal(post?.headers.authorization, undefined);
    assert.equal(post?.body.toString(), '{"hello":"world"}');
    const exit = await proc.stop();
    assert.equal(exit.code, 0);
    const unused = proc.logs.filter((l) => l.msg === "simple-sqsd variable not used").map((l) => l.variable);
    assert.deepEqual(unused, ["SQSD_HTTP_HEALTH_WAIT", "SQSD_SQS_HTTP_TIMEOUT"]);
  });

  it("SQSD_CRON_FILE: exit 2 saying where periodic tasks come from instead", async () => {
    const proc = startSidecarProcess({ env: { SQSD_QUEUE_URL: "http://127.0.0.1:1/000000000000/q", SQSD_QUEUE_REGION: "us-east-1", SQSD_CRON_FILE: "/app/cron.yaml" } });
    assert.equal((await proc.exited).code, 2);
    assert.match(proc.stderr(), /SQSD_CRON_FILE="\/app\/cron\.yaml": sqsd runs no cron\.yaml itself .*cronFile.*sqsd-worker local --cron/);
  });
});
