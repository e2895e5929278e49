/**
 * The shipped artefact: the esbuild bundle that the container image and `sqsd` bin run.
 * It is built here and driven end to end, and the Dockerfile is checked for what the
 * component relies on (non-root, SIGTERM, health check on the daemon's endpoint).
 */
import { strict as assert } from "node:assert";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { bundle } from "../../sidecar/build";
import { startApp } from "../support/app-server";
import { daemonEnv } from "../support/daemon";
import { REPO_ROOT, startSidecarProcess } from "../support/sidecar-process";
import { sqsServer } from "../support/sqs-server";
import { eventually } from "../support/wait";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { LIVENESS_PROBE_SCRIPT } from "../../sidecar/liveness-probe";
import { SIDECAR_NODE_FLAGS } from "../../sidecar/node-flags";
import { startStatusServer } from "../../sidecar/status-server";
import { freePort } from "../support/emulator-process";

describe("sidecar: bundle and image", function () {
  it("bundles into one self-contained file that delivers a message", async () => {
    const file = await bundle(join(tmpdir(), `sqsd-test-${process.pid}.cjs`));
    assert.ok(statSync(file).size < 5 * 1024 * 1024, "bundle stays small");
    const server = await sqsServer();
    const queue = await server.createQueue({ maxReceiveCount: 3 });
    const app = await startApp();
    try {
      // Run from a folder without node_modules: the bundle must not need any.
      const proc = startSidecarProcess({ entry: file, env: daemonEnv(server, queue, app.url) });
      await queue.send("bundled");
      const [req] = await app.waitForRequests(1, 20_000);
      assert.equal(req!.body.toString(), "bundled");
      await eventually(async () => assert.equal((await queue.counts()).visible + (await queue.counts()).inFlight, 0));
      assert.equal((await proc.stop()).code, 0);
    } finally {
      await app.close();
      await queue.delete();
    }
  });

  it("has a Dockerfile with a non-root user, SIGTERM and a health check on /livez", () => {
    const text = readFileSync(join(REPO_ROOT, "sidecar", "Dockerfile"), "utf8");
    assert.match(text, /^USER 1000:1000$/m);
    assert.match(text, /^STOPSIGNAL SIGTERM$/m);
    assert.ok(text.includes(`CMD ["node", "-e", ${JSON.stringify(LIVENESS_PROBE_SCRIPT)}]`), "HEALTHCHECK runs sidecar/liveness-probe.ts's script");
    assert.ok(text.includes(`\nENTRYPOINT ${JSON.stringify(["node", ...SIDECAR_NODE_FLAGS, "/app/sqsd.cjs"]).replace(/","/g, '", "')}\n`), "ENTRYPOINT runs the bundle with SIDECAR_NODE_FLAGS");
    assert.equal((text.match(/^FROM /gm) ?? []).length, 2, "multi-stage");
  });

  it("the health check's probe exits 0 while /livez answers 200, and 1 when it answers 503 or nothing listens", async () => {
    let live = true;
    const status = await startStatusServer("127.0.0.1", 0, () => ({ live, ready: live }));
    const port = (status.address() as AddressInfo).port;
    // Asynchronous: the status server answers from this very process.
    const probe = (p: number) =>
      new Promise<number | null>((resolve) => spawn(process.execPath, ["-e", LIVENESS_PROBE_SCRIPT], { env: { StatusPort: String(p) } }).on("exit", resolve));
    try {
      assert.equal(await probe(port), 0);
      live = false;
      assert.equal(await probe(port), 1);
    } finally {
      status.close();
    }
    assert.equal(await probe(await freePort()), 1);
  });
});
