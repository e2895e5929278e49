/**
 * programs/automation: the pure parts (arguments, config mapping), the inline program under
 * mocks, the missing-CLI path, and a config round trip through the pulumi CLI on a throw-away
 * local backend. That CLI is PULUMI_CLI (exported by .ci/run) put first on PATH, else one
 * already on PATH; without one the round trip skips outside CI and fails under CI=true.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CommanderError } from "commander";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { ACCOUNT, REGION, registeredBy, setWorkerConfig, valueOf } from "./program-mocks";
import { EXIT, findPulumi, INSTALL_HINT, parseArgs, PROJECT, run, toStackConfig, workerProgram, type CliOptions } from "../../programs/automation/deploy";
import { REPO_ROOT } from "../support/sidecar-process";
import { requireOrSkip } from "../support/ci-requirement";
import type { Output } from "@pulumi/pulumi";

const SCRIPT = path.join(REPO_ROOT, "programs", "automation", "deploy.ts");

describe("programs/automation: arguments", () => {
  it("defaults to stack dev, deploy (not destroy), and requires --region", () => {
    assert.deepEqual(parseArgs(["--region", "us-east-1"]), { stack: "dev", region: "us-east-1", previewOnly: false, destroy: false });
    assert.throws(() => parseArgs([]), (err: unknown) => err instanceof CommanderError && /required option '--region <region>'/.test(err.message));
  });

  it("parses the scaling numbers and the flags", () => {
    const o = parseArgs(["--stack", "prod", "--region", "eu-west-1", "--min-count", "1", "--max-count", "8", "--acceptable-latency", "30", "--message-processing-time", "0.5", "--preview-only"]);
    assert.deepEqual(o, { stack: "prod", region: "eu-west-1", minCount: 1, maxCount: 8, acceptableLatency: 30, messageProcessingTime: 0.5, previewOnly: true, destroy: false });
    assert.equal(parseArgs(["--region", "us-east-1", "--destroy"]).destroy, true);
  });

  it("rejects bad numbers, unknown options and --destroy with --preview-only", () => {
    assert.throws(() => parseArgs(["--region", "r", "--max-count", "many"]), /argument 'many' is invalid/);
    assert.throws(() => parseArgs(["--region", "r", "--max-count", "-1"]), CommanderError);
    assert.throws(() => parseArgs(["--region", "r", "--force"]), /unknown option '--force'/);
    assert.throws(() => parseArgs(["--region", "r", "--destroy", "--preview-only"]), /do not go together/);
  });
});

describe("programs/automation: config mapping", () => {
  const base: CliOptions = { stack: "dev", region: "us-east-1", previewOnly: false, destroy: false };

  it("writes aws:region and every worker key in the root project's namespace, defaults filled in", () => {
    assert.equal(PROJECT, "sqsd-worker");
    assert.deepEqual(toStackConfig({ ...base, maxCount: 5 }), {
      "aws:region": { value: "us-east-1" },
      "sqsd-worker:minCount": { value: "0" },
      "sqsd-worker:maxCount": { value: "5" },
      "sqsd-worker:acceptableLatency": { value: "60" },
      "sqsd-worker:messageProcessingTime": { value: "1" },
    });
  });

  it("applies the program's own rules before anything runs", () => {
    assert.throws(() => toStackConfig({ ...base, minCount: 4, maxCount: 2 }), /minCount \(4\) must not exceed maxCount \(2\)/);
    assert.throws(() => toStackConfig({ ...base, region: " " }), /aws:region: required/);
  });
});

describe("programs/automation: the inline program under mocks", () => {
  it("builds the same worker as programs/worker and returns its outputs", async () => {
    setWorkerConfig({ maxCount: "2" });
    const { module: outputs, resources } = await registeredBy(async () => (await workerProgram()) as Record<string, unknown>);
    assert.equal(resources.one("sqsd-worker:index:WorkerEnvironment").name, "worker-test");
    assert.equal(resources.one("aws:appautoscaling/target:Target").inputs.maxCapacity, 2);
    assert.equal(outputs.region, REGION);
    assert.equal(await valueOf(outputs.queueUrl as Output<string>), `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/worker-test-queue`);
    assert.deepEqual(Object.keys(outputs).sort(), ["appLogGroupName", "clusterName", "dashboardUrl", "dlqUrl", "queueArn", "queueUrl", "region", "serviceName", "sidecarLogGroupName"]);
  });
});

describe("programs/automation: without a pulumi CLI", () => {
  let emptyDir: string;
  before(() => {
    emptyDir = mkdtempSync(path.join(tmpdir(), "no-pulumi-"));
  });
  after(() => rmSync(emptyDir, { recursive: true, force: true }));

  it("run() prints how to install it and returns 2 (PATH without pulumi)", async () => {
    const saved = process.env.PATH;
    process.env.PATH = emptyDir;
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await run(["--region", "us-east-1"], { out: (t) => out.push(t), err: (t) => err.push(t) });
      assert.equal(code, EXIT.noCli);
    } finally {
      process.env.PATH = saved;
    }
    assert.ok(err.join("").startsWith(INSTALL_HINT), err.join(""));
    assert.match(err.join(""), /get\.pulumi\.com/);
    assert.deepEqual(out, []);
  });

  it("the script exits 2 with that message", function () {
    this.timeout(30_000);
    const r = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, "--region", "us-east-1"], {
      cwd: REPO_ROOT,
      env: { PATH: emptyDir, HOME: process.env.HOME ?? tmpdir() },
      encoding: "utf8",
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /none was found on PATH/);
    assert.match(r.stderr, /curl -fsSL https:\/\/get\.pulumi\.com \| sh/);
  });

  it("a bad argument exits 1 before the CLI is looked for", function () {
    this.timeout(30_000);
    const r = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, "--region", "us-east-1", "--min-count", "9", "--max-count", "1"], {
      cwd: REPO_ROOT,
      env: { PATH: emptyDir, HOME: process.env.HOME ?? tmpdir() },
      encoding: "utf8",
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /minCount \(9\) must not exceed maxCount \(1\)/);
    assert.doesNotMatch(r.stderr, /none was found on PATH/);
  });
});

describe("programs/automation: with the pulumi CLI", function () {
  this.timeout(120_000);
  // The program finds the CLI on PATH (PulumiCommand.get()): put PULUMI_CLI's folder first.
  const savedPath = process.env.PATH;
  before(() => {
    const cli = process.env.PULUMI_CLI;
    if (cli) process.env.PATH = [path.dirname(path.resolve(cli)), savedPath].filter(Boolean).join(path.delimiter);
  });
  after(() => {
    process.env.PATH = savedPath;
  });

  it("sets the stack config through the CLI on a local backend (no AWS calls)", async function () {
    const found = await findPulumi();
    if ("error" in found) {
      const where = process.env.PULUMI_CLI ? `PULUMI_CLI=${process.env.PULUMI_CLI} (its folder first on PATH)` : "PATH (PULUMI_CLI unset)";
      requireOrSkip(this, `no usable pulumi CLI on ${where}: ${found.error}`, "`bash .ci/pulumi-cli.sh` builds it from its Go modules and prints its folder; .ci/run exports PULUMI_CLI=<bin>/pulumi");
    }
    const backend = mkdtempSync(path.join(tmpdir(), "pulumi-backend-"));
    try {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "automation-test", projectName: PROJECT, program: workerProgram },
        { pulumiCommand: found.command, envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "test-only" } },
      );
      const config = toStackConfig({ stack: "automation-test", region: "eu-west-1", maxCount: 6, previewOnly: true, destroy: false });
      await stack.setAllConfig(config);
      const back = await stack.getAllConfig();
      for (const [key, { value }] of Object.entries(config)) assert.equal(back[key]?.value, value, key);
      await stack.workspace.removeStack("automation-test");
    } finally {
      rmSync(backend, { recursive: true, force: true });
    }
  });
});
