import assert from "node:assert/strict";
import { execFileSync, type ExecFileSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot, schemaPath } from "../../tools/schema/generate";
import { requireOrSkip } from "../support/ci-requirement";

// Set by .ci/run after .ci/pulumi-cli.sh built them (see docs/multi-language.md):
// PULUMI_CLI: the pulumi CLI built from its Go modules; SQSD_SDKGEN: tools/pulumi-cli/sdkgen
// (Pulumi's schema binder and Python/Go code generators). Outside CI the checks skip without
// them; under CI=true they fail (ci-requirement.ts).
const cli = process.env.PULUMI_CLI;
const sdkgen = process.env.SQSD_SDKGEN;
const BUILT_BY = "`bash .ci/pulumi-cli.sh` builds both and prints their folder; .ci/run exports PULUMI_CLI=<bin>/pulumi and SQSD_SDKGEN=<bin>/sqsd-worker-sdkgen";

const run = (cmd: string, args: string[], opts: ExecFileSyncOptions = {}): string =>
  execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20, ...opts }).toString();

const isExecutable = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

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
    if (!sdkgen) requireOrSkip(this, "SQSD_SDKGEN is unset", BUILT_BY);
    if (!isExecutable(sdkgen)) requireOrSkip(this, `SQSD_SDKGEN=${sdkgen} is not an executable file`, BUILT_BY);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sqsd-consumers-"));
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("`pulumi package get-schema` on the provider gives the committed schema", function () {
    if (!cli) requireOrSkip(this, "PULUMI_CLI is unset", BUILT_BY);
    if (!isExecutable(cli)) requireOrSkip(this, `PULUMI_CLI=${cli} is not an executable file`, BUILT_BY);
    // The executable starts the plugin in provider/ as the Node.js language host would; run
    // from a neutral folder, so no project's Pulumi.yaml around it is picked up.
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
    // Nested input types read naturally: AppContainerArgs, never AppContainerArgsArgs.
    const files = fs.readdirSync(path.join(work, "sdks"), { recursive: true, encoding: "utf8" }).filter((f) => /\.(py|go)$/.test(f));
    const doubled = files.filter((f) => /ArgsArgs/.test(fs.readFileSync(path.join(work, "sdks", f), "utf8")));
    assert.deepEqual(doubled, [], "generated SDK files naming an ...ArgsArgs type");
    assert.match(fs.readFileSync(path.join(work, "sdks/python/pulumi_sqsd_worker/_inputs.py"), "utf8"), /^class AppContainerArgs\b/m);
  });

  it("Python: the program registers sqsd-worker:index:WorkerEnvironment with its inputs under mocks", function () {
    try {
      run("python3", ["-c", "import pulumi"]);
    } catch {
      requireOrSkip(this, "the pulumi Python package is not importable by python3", "`.ci/run` installs it with `python3 -m pip install 'pulumi==3.272.0'`; by hand: the same command");
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
