import assert from "node:assert/strict";
import { execFileSync, type ExecFileSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot, schemaPath } from "../../tools/schema/generate";

// Set by .ci/run after .ci/pulumi-cli.sh built them (see docs/multi-language.md):
// PULUMI_CLI: the pulumi CLI built from its Go modules; SQSD_SDKGEN: tools/pulumi-cli/sdkgen
// (Pulumi's schema binder and Python/Go code generators).
const cli = process.env.PULUMI_CLI;
const sdkgen = process.env.SQSD_SDKGEN;

const run = (cmd: string, args: string[], opts: ExecFileSyncOptions = {}): string =>
  execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20, ...opts }).toString();

/** Drops what the CLI's schema round trip drops: our `optional` hints and empty lists/maps. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "optional") continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (["config", "dependencies"].includes(k) && v !== null && typeof v === "object" && Object.keys(v).length === 0) continue;
    out[k] = normalize(v);
  }
  return out;
}

describe("packaging: consumers through the pulumi CLI and generated SDKs", function () {
  this.timeout(900000);
  let work = "";
  before(function () {
    if (!sdkgen) {
      console.log("      skipped: SQSD_SDKGEN/PULUMI_CLI unset (bash .ci/pulumi-cli.sh builds them; .ci/run sets them)");
      this.skip();
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sqsd-consumers-"));
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("`pulumi package get-schema` on the provider gives the committed schema", function () {
    if (!cli) {
      console.log("      skipped: PULUMI_CLI unset");
      this.skip();
    }
    // From a neutral folder: the repository root holds both Pulumi.yaml and PulumiPlugin.yaml.
    const out = run(cli, ["package", "get-schema", path.join(repoRoot, "tools/pulumi-cli/pulumi-resource-sqsd-worker")], {
      cwd: work,
      env: { ...process.env, PULUMI_HOME: path.join(work, "pulumi-home"), PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    assert.deepEqual(normalize(JSON.parse(out)), normalize(JSON.parse(fs.readFileSync(schemaPath, "utf8"))));
  });

  it("Pulumi's schema binder accepts the schema and generates the Python and Go SDKs", () => {
    const out = run(sdkgen as string, ["-schema", schemaPath, "-out", path.join(work, "sdks"), "-lang", "python,go"]);
    assert.match(out, /valid Pulumi package sqsd-worker/);
    assert.ok(fs.existsSync(path.join(work, "sdks/python/pulumi_sqsd_worker/worker_environment.py")));
    assert.ok(fs.existsSync(path.join(work, "sdks/go/sqsdworker/workerEnvironment.go")));
  });

  it("Python: the program registers sqsd-worker:index:WorkerEnvironment with its inputs under mocks", function () {
    try {
      run("python3", ["-c", "import pulumi"]);
    } catch {
      console.log("      skipped: the pulumi Python package is not installed (.ci/run installs it)");
      this.skip();
    }
    const venv = path.join(work, "venv");
    run("python3", ["-m", "venv", "--system-site-packages", venv]);
    const py = path.join(venv, "bin/python");
    run(py, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", path.join(work, "sdks/python")]);
    const out = run(py, [path.join(repoRoot, "programs/consumers/python/test_mocks.py")]);
    assert.match(out, /python mocks: 1 passed, 0 failed/);
  });

  it("Go: the program builds against the generated Go SDK", () => {
    const dir = path.join(work, "go-program");
    fs.mkdirSync(path.join(dir, "sdks"), { recursive: true });
    for (const f of ["main.go", "go.mod", "go.sum"]) fs.copyFileSync(path.join(repoRoot, "programs/consumers/go", f), path.join(dir, f));
    fs.cpSync(path.join(work, "sdks/go/sqsdworker"), path.join(dir, "sdks/sqsd-worker"), { recursive: true });
    run("go", ["build", "-o", path.join(dir, "consumer"), "."], { cwd: dir });
    assert.ok(fs.statSync(path.join(dir, "consumer")).size > 0);
  });
});
