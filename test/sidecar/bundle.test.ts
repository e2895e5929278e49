/**
 * The shipped artefact: the esbuild bundle that the container image and `sqsd` bin run.
 * It is built here and driven end to end, started exactly as the image's ENTRYPOINT starts
 * it from the files the Dockerfile copies, and the Dockerfile is checked for what the
 * component relies on (non-root, SIGTERM, health check on the daemon's endpoint).
 */
import { strict as assert } from "node:assert";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundle, sdkFileOf } from "../../sidecar/build";
import { startApp } from "../support/app-server";
import { daemonEnv } from "../support/daemon";
import { REPO_ROOT, startSidecarProcess } from "../support/sidecar-process";
import { sqsServer } from "../support/sqs-server";
import { eventually, sleep } from "../support/wait";
import { tmpdir } from "node:os";
import { spawn, spawnSync } from "node:child_process";
import type { AddressInfo } from "node:net";
import { LIVENESS_PROBE_SCRIPT } from "../../sidecar/liveness-probe";
import { SIDECAR_NODE_FLAGS } from "../../sidecar/node-flags";
import { SIDECAR_IMAGE_FILES } from "../../component/task";
import { startStatusServer } from "../../sidecar/status-server";
import { freePort } from "../support/emulator-process";
import { assembleImage, inContext, parseDockerfile, type AssembledImage } from "../support/image-context";

const DOCKERFILE = join(REPO_ROOT, "sidecar", "Dockerfile");

/** A package root holding a fresh bundle and the repository's .dockerignore, assembled into an image folder. */
async function imageFromFreshBundle(dir: string): Promise<AssembledImage> {
  mkdirSync(join(dir, "pkg", "dist"), { recursive: true });
  await bundle(join(dir, "pkg", "dist", "sqsd.cjs"));
  copyFileSync(join(REPO_ROOT, ".dockerignore"), join(dir, "pkg", ".dockerignore"));
  return assembleImage(join(dir, "pkg"), DOCKERFILE, join(dir, "image"));
}

/** Split `node <flags…> <script>` into what startSidecarProcess takes. */
function nodeCommand(entrypoint: string[]): { nodeFlags: string[]; entry: string } {
  assert.equal(entrypoint[0], "node");
  return { nodeFlags: entrypoint.slice(1, -1), entry: entrypoint[entrypoint.length - 1] as string };
}

describe("sidecar: bundle and image", function () {
  it("bundles into a self-contained daemon file (the SDK in a file beside it) that delivers a message", async () => {
    const file = await bundle(join(tmpdir(), `sqsd-test-${process.pid}.cjs`));
    assert.ok(statSync(file).size < 5 * 1024 * 1024, "bundle stays small");
    // The version is built in: no package.json above the temporary folder to read it from.
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const version = spawnSync(process.execPath, [file, "--version"], { cwd: tmpdir(), encoding: "utf8" });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);
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

  it("loads the SDK file only for credentials from neither the environment nor ECS: a profile works with it; without it environment keys still deliver and a profile cannot start", async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), "sqsd-sdk-file-"));
    const server = await sqsServer();
    const queue = await server.createQueue({ maxReceiveCount: 3 });
    const app = await startApp();
    writeFileSync(join(dir, "credentials"), "[default]\naws_access_key_id = test\naws_secret_access_key = test\n");
    writeFileSync(join(dir, "config"), "[default]\n");
    const profile = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config"), AWS_EC2_METADATA_DISABLED: "true" };
    const delivers = async (entry: string, env: Record<string, string | undefined>, body: string) => {
      const proc = startSidecarProcess({ entry, env: { ...daemonEnv(server, queue, app.url), ...env } });
      await queue.send(body);
      await eventually(() => assert.ok(app.requests.some((r) => r.body.toString() === body), `${body} delivered:\n${proc.stderr()}`), { timeoutMs: 20_000 });
      assert.equal((await proc.stop()).code, 0);
    };
    try {
      const file = await bundle(join(dir, "sqsd.cjs"));
      await delivers(file, profile, "from a profile, through the SDK file");
      rmSync(sdkFileOf(file));
      await delivers(file, {}, "environment keys, no SDK file needed");
      const proc = startSidecarProcess({ entry: file, env: { ...daemonEnv(server, queue, app.url), ...profile } });
      const exit = await Promise.race([proc.exited, sleep(15_000).then(() => "still running")]);
      if (exit === "still running") await proc.stop();
      assert.notEqual(exit, "still running", "without the SDK file a profile still worked: the SDK is inside the daemon's file");
      assert.equal(typeof exit === "object" && exit.code, 3, "a profile needs the SDK file: the start fails at once (exit 3), no retry can help");
      assert.match(proc.stderr(), /cannot start \(sdk-missing\)[\s\S]*sqsd-sdk\.cjs/, "stderr names the failure and the missing file");
    } finally {
      await app.close();
      await queue.delete();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a Dockerfile with a non-root user, SIGTERM and a health check on /livez", () => {
    const text = readFileSync(DOCKERFILE, "utf8");
    assert.match(text, /^USER 1000:1000$/m);
    assert.match(text, /^STOPSIGNAL SIGTERM$/m);
    assert.ok(text.includes(`CMD ["node", "-e", ${JSON.stringify(LIVENESS_PROBE_SCRIPT)}]`), "HEALTHCHECK runs sidecar/liveness-probe.ts's script");
    const facts = parseDockerfile(text);
    assert.deepEqual(facts.entrypoint, ["node", ...SIDECAR_NODE_FLAGS, "/app/sqsd.cjs"], "ENTRYPOINT runs the bundle with SIDECAR_NODE_FLAGS");
    // One stage, built from the package: the prebuilt bundle and its SDK file are all it takes.
    assert.deepEqual(facts.from, ["node:24-alpine"]);
    assert.deepEqual(facts.copies, [{ sources: ["dist/sqsd.cjs", "dist/sqsd-sdk.cjs"], dest: "/app/" }]);
    assert.deepEqual(facts.copies[0]?.sources, SIDECAR_IMAGE_FILES, "the component's preview checks exactly the files the image copies");
  });

  it("keeps the build context to the bundle: .dockerignore admits dist/sqsd.cjs and dist/sqsd-sdk.cjs and nothing else", () => {
    const ignore = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8");
    assert.ok(inContext(ignore, "dist/sqsd.cjs"));
    assert.ok(inContext(ignore, "dist/sqsd-sdk.cjs"));
    for (const other of ["dist/sqsd.cjs.map", "dist/sqsd-sdk.cjs.map", "dist/component/index.js", "node_modules/pino/package.json", "package.json", "sidecar/main.ts", ".git/config", "test"]) {
      assert.equal(inContext(ignore, other), false, `${other} stays out of the context`);
    }
  });

  it("started as the image starts it, runs one daemon: one --help, one start, at most HttpConnections requests in flight", async function () {
    this.timeout(90_000);
    const dir = mkdtempSync(join(tmpdir(), "sqsd-image-"));
    const server = await sqsServer();
    const queue = await server.createQueue({ maxReceiveCount: 5 });
    // Slow enough that every slot fills: two daemons would show twice the bound.
    const app = await startApp({ status: 200, delayMs: 250 });
    try {
      const image = await imageFromFreshBundle(dir);
      const [node, ...args] = image.entrypoint;
      assert.equal(node, "node");
      const help = spawnSync(process.execPath, [...args, "--help"], { cwd: dir, encoding: "utf8" });
      assert.equal(help.status, 0, help.stderr);
      assert.equal((help.stdout.match(/^Usage:/gm) ?? []).length, 1, `--help printed once:\n${help.stdout}`);

      const connections = 3;
      const proc = startSidecarProcess({ ...nodeCommand(image.entrypoint), env: daemonEnv(server, queue, app.url, { HttpConnections: String(connections) }) });
      await queue.sendMany(Array.from({ length: 30 }, (_, i) => `m${i}`));
      await app.waitForRequests(30, 60_000);
      await eventually(async () => {
        const c = await queue.counts();
        assert.equal(c.visible + c.inFlight, 0);
      });
      assert.equal((await proc.stop()).code, 0);
      assert.equal(proc.logs.filter((l) => l.msg === "receiving").length, 1, "one daemon started receiving");
      assert.ok(app.maxInFlight() <= connections, `at most ${connections} requests in flight, saw ${app.maxInFlight()}`);
      assert.equal(app.maxInFlight(), connections, "the slots did fill (else the bound was not tested)");
    } finally {
      await app.close();
      await queue.delete();
      rmSync(dir, { recursive: true, force: true });
    }
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
