/**
 * The traced setup end to end, locally: the sqsd container of a WorkerEnvironment with
 * `observability.tracing: "awsxray"` (its environment exactly as the component writes it into
 * the task definition, under Pulumi mocks), run as the real daemon against ElasticMQ (which keeps
 * the AWSTraceHeader system attribute; on fauxqs, which drops it, the test proves that gap), posting to a real HTTP app. A producer's trace header
 * must reach the app as X-Amzn-Trace-Id, so the app's spans (sent to the collector) join the
 * producer's trace.
 */
import { strict as assert } from "node:assert";
import { build, type Stack } from "../component/mocks";
import { containerDefs } from "../component/helpers";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { sidecarTest } from "../support/sidecar-test";
import { keepsTraceHeader, sendTraced, TRACE_HEADER } from "../support/trace-header-gap";

/** The sqsd container's environment in the task definition, as name → value. */
function sidecarEnvironment(s: Stack): Record<string, string> {
  const env = containerDefs(s).byName("sqsd").environment as Array<{ name: string; value: string }>;
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
}

describe("sidecar: the traced setup forwards the producer's trace header to the app", function () {
  const t = sidecarTest();

  it("AWSTraceHeader → X-Amzn-Trace-Id, with the component's sidecar environment", async function () {
    if (!(await keepsTraceHeader(t.server))) return;
    const s = await build({ app: { image: "fake/app:1", port: 8080, httpPath: "/work" }, sidecar: { image: "ghcr.io/fake/sqsd:1" }, observability: { tracing: "awsxray" } }, "traced");
    const names = containerDefs(s).all.map((c) => c.name);
    assert.deepEqual(names, ["app", "sqsd", "aws-otel-collector"], "the traced setup");
    const component = sidecarEnvironment(s);
    assert.equal(component.HttpPath, "/work");

    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp();
    // The component's environment; only what points at AWS (queue, region, the ECS agent for
    // task protection) and at the app's address is replaced by the local stand-ins.
    const local = daemonEnv(t.server, t.queue, t.app.origin);
    t.d = await startDaemon({
      ...component,
      WorkerQueueURL: local.WorkerQueueURL ?? "",
      Region: local.Region ?? "",
      Endpoint: local.Endpoint ?? "",
      HttpUrl: `${t.app.origin}/`,
      TaskProtection: "off",
      StatusPort: "0",
      WaitTime: "1",
      Metrics: "false",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });

    await sendTraced(t.server, t.queue, '{"order": 1}');
    await t.queue.send('{"order": 2}');
    const requests = await t.app.waitForRequests(2);
    const traced = requests.find((r) => r.body.toString() === '{"order": 1}') ?? assert.fail("the traced message was not posted");
    assert.equal(traced.path, "/work");
    assert.equal(traced.headers["x-amzn-trace-id"], TRACE_HEADER);
    const untraced = requests.find((r) => r.body.toString() === '{"order": 2}') ?? assert.fail("the untraced message was not posted");
    assert.equal(untraced.headers["x-amzn-trace-id"], undefined, "no header is made up for a message without one");
  });
});
