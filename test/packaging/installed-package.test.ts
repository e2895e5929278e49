/**
 * sqsd-worker as its users get it: `npm pack`, then installed into a fresh project outside
 * this repository (no access to its node_modules), from the tarball and from a git URL.
 * From there: a TypeScript Pulumi stack type-checks and runs under mocks, both bins run,
 * local mode runs the user's own app, the sidecar image is assembled from the installed
 * package's files and its ENTRYPOINT delivers a message, and an old Node gets one clear line.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { startApp } from "../support/app-server";
import { requireOrSkip } from "../support/ci-requirement";
import { daemonEnv } from "../support/daemon";
import { freePort } from "../support/emulator-process";
import { assembleImage } from "../support/image-context";
import { REPO_ROOT, startSidecarProcess } from "../support/sidecar-process";
import { sqsServer } from "../support/sqs-server";
import { eventually } from "../support/wait";

const FIXTURE = join(__dirname, "consumer");
const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  engines: { node: string };
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const installedVersion = (name: string): string => (JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;

/** This process's environment without what `npm run` adds (npm_config_* would steer the child npm). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith("npm_")) env[k] = v;
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20, timeout: 600_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A fresh consumer project depending on sqsd-worker by `spec`, with the fixture's files. */
function consumerProject(dir: string, spec: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(FIXTURE)) copyFileSync(join(FIXTURE, f), join(dir, f));
  const pkg = {
    name: "consumer-stack",
    private: true,
    dependencies: { "sqsd-worker": spec, "@pulumi/pulumi": rootPackage.dependencies["@pulumi/pulumi"] },
    // What a TypeScript Pulumi project has: the compiler (pinned to ours: typescript@5, see tooling notes).
    devDependencies: { typescript: installedVersion("typescript"), "@types/node": rootPackage.devDependencies["@types/node"] },
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  ok(run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], dir), `npm install ${spec}`);
  return dir;
}

/** Files of the tarball, as `npm pack --json` lists them. */
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string; size: number }>;
}

/**
 * Packages a packed file loads by name (require, import, import(), and `from` in .d.ts), e.g.
 * "@aws-sdk/client-sqs" for require("@aws-sdk/client-sqs/dist") and "cron-parser" for import("cron-parser").
 */
function packagesLoaded(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:\brequire\(|\bimport\(|\bfrom )\s*"([^".][^"]*)"/g)) {
    const spec = m[1] as string;
    found.add(spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/"));
  }
  return found;
}

/** Loaded by name but rightly not a dependency, each with why. */
const UNDECLARED_ON_PURPOSE: Record<string, string> = {
  tsx: "bin/sqsd-worker.js loads it only in a checkout without dist/, after require.resolve says it is there",
  "@aws-sdk/signature-v4-crt": "the SDK's optional CRT signer, inside the bundle; never needed for SQS's regional signing",
};

/** A Node.js older than the floor, to see the gate: SQSD_OLD_NODE (set by .ci/run) or the machine's /usr/bin/node. */
function oldNode(): string | undefined {
  for (const candidate of [process.env.SQSD_OLD_NODE, "/usr/bin/node"]) {
    if (!candidate || !existsSync(candidate)) continue;
    const v = spawnSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
    const [major = 0, minor = 0] = v.split(".").map(Number);
    if (major < 22 || (major === 22 && minor < 13)) return candidate;
  }
  return undefined;
}

describe("packaging: the installed npm package", function () {
  this.timeout(900_000);
  let work = "";
  let pack: PackResult;
  let project = "";
  let packageRoot = "";

  before(function () {
    work = mkdtempSync(join(tmpdir(), "sqsd-installed-"));
    // Runs npm's prepare (the clean build) exactly as `npm publish` would.
    const out = ok(run("npm", ["pack", "--json", "--pack-destination", work, "--loglevel=error"], REPO_ROOT), "npm pack");
    pack = (JSON.parse(out) as PackResult[])[0] as PackResult;
    console.log(`      tarball: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(0)} kB packed, ${(pack.unpackedSize / 1024).toFixed(0)} kB unpacked`);
    project = consumerProject(join(work, "stack"), `file:${join(work, pack.filename)}`);
    packageRoot = realpathSync(join(project, "node_modules", "sqsd-worker"));
  });
  after(() => {
    if (work && process.env.SQSD_KEEP_WORK !== "1") rmSync(work, { recursive: true, force: true });
  });

  it("the tarball holds the library, the bins, the bundle and the image's files, and no tests, maps, CI, bench or tools", () => {
    const paths = pack.files.map((f) => f.path);
    for (const needed of ["package.json", "README.md", "LICENSE", "bin/sqsd.js", "bin/sqsd-worker.js", "bin/check-node.js", "dist/component/index.js", "dist/component/index.d.ts", "dist/sidecar/index.js", "dist/local/cli.js", "dist/ops/commands.js", "dist/migrate/command.js", "dist/sqsd.cjs", "dist/sqsd-sdk.cjs", "sidecar/Dockerfile", ".dockerignore"]) {
      assert.ok(paths.includes(needed), `${needed} is packed`);
    }
    const allowed = /^(package\.json|README\.md|LICENSE|\.dockerignore|sidecar\/Dockerfile|bin\/[\w-]+\.js|dist\/sqsd(-sdk)?\.cjs|dist\/(component|sidecar|local|ops|migrate)\/[\w-]+\.(js|d\.ts))$/;
    assert.deepEqual(paths.filter((p) => !allowed.test(p)), [], "nothing else is packed");
    assert.deepEqual(paths.filter((p) => /(^|\/)(test|fixtures|\.ci|bench|tools|programs)\/|\.map$|\.pyc$|\.test\./.test(p)), []);
  });

  it("installs without devDependencies: the bins and library need none of them", () => {
    const modules = join(project, "node_modules");
    for (const dev of ["tsx", "esbuild", "mocha", "@aws-sdk/client-kinesis", "@cloud-copilot/iam-simulate"]) {
      assert.equal(existsSync(join(modules, dev)), false, `${dev} (a devDependency) is not installed`);
    }
    for (const runtime of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/awsx", "@aws-sdk/client-sqs", "pino", "commander", "fauxqs"]) {
      assert.ok(existsSync(join(modules, runtime)), `${runtime} is installed with the package`);
    }
    const exported = ok(run(process.execPath, ["-p", 'Object.keys(require("sqsd-worker")).sort().join(",") + " " + Object.keys(require("sqsd-worker/sidecar")).sort().join(",")'], project), "require");
    assert.match(exported, /\bWorkerEnvironment\b/);
    assert.match(exported, /\bvalidateArgs\b/);
    assert.match(exported, / .*\brunSqsd\b/);
  });

  it("every package the packed files load by name is a dependency (or optional one), not a transitive or dev one", () => {
    // Its own name too: migrate writes programs that import sqsd-worker.
    const declared = new Set([rootPackage.name, ...Object.keys(rootPackage.dependencies), ...Object.keys(rootPackage.optionalDependencies)]);
    const builtins = new Set(builtinModules.flatMap((b) => [b, `node:${b}`]));
    const loaded = new Map<string, string>();
    for (const f of pack.files.filter((x) => /\.(c?js|d\.ts)$/.test(x.path))) {
      for (const p of packagesLoaded(readFileSync(join(packageRoot, f.path), "utf8"))) if (!loaded.has(p)) loaded.set(p, f.path);
    }
    for (const p of ["@pulumi/pulumi", "@aws-sdk/client-sqs", "pino", "cron-parser", "fauxqs"]) assert.ok(loaded.has(p), `the scan sees ${p}`);
    const undeclared = [...loaded].filter(([p]) => !builtins.has(p) && !declared.has(p) && !(p in UNDECLARED_ON_PURPOSE));
    assert.deepEqual(undeclared.map(([p, file]) => `${p} (loaded by ${file})`), [], "add them to dependencies in package.json");
    assert.deepEqual(Object.keys(UNDECLARED_ON_PURPOSE).filter((p) => !loaded.has(p)), [], "an exception nothing needs any more");
  });

  it("a TypeScript stack importing WorkerEnvironment and its arg types type-checks; a wrong arg type does not", () => {
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    ok(run(process.execPath, [tsc, "-p", "tsconfig.json", "--noEmit"], project), "tsc");
    const bad = run(process.execPath, [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node", "bad-args.ts"], project);
    assert.notEqual(bad.status, 0, "a string port must not type-check");
    assert.match(bad.stdout, /bad-args\.ts.*Type 'string' is not assignable to type 'number'/);
  });

  it("runs under Pulumi mocks; the sidecar image is built from the installed package's Dockerfile and files", () => {
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    ok(run(process.execPath, [tsc, "-p", "tsconfig.json"], project), "tsc build");
    const report = JSON.parse(ok(run(process.execPath, ["out/run-under-mocks.js"], project), "stack under mocks").trim().split("\n").pop() as string) as {
      outputs: string[];
      types: string[];
      sidecarImageBuild: { context: string; dockerfile: string; platform: string };
      containerDefinitions: Array<{ name: string; image: string; user?: string }>;
    };
    assert.equal(report.types.filter((t) => t === "aws:sqs/queue:Queue").length, 2, "queue and dead-letter queue");
    for (const t of ["aws:ecs/taskDefinition:TaskDefinition", "aws:ecs/service:Service", "aws:iam/role:Role"]) assert.ok(report.types.includes(t), t);
    assert.match(report.outputs[0] ?? "", /consumer-worker/);
    assert.equal(realpathSync(report.sidecarImageBuild.context), packageRoot, "the Docker context is the installed package");
    assert.equal(report.sidecarImageBuild.dockerfile, join(report.sidecarImageBuild.context, "sidecar", "Dockerfile"));
    assert.deepEqual(report.containerDefinitions.map((c) => c.name), ["app", "sqsd"]);
    assert.equal(report.containerDefinitions[0]?.image, "registry.invalid/team/app:1.0.0");
  });

  it("the image assembled from the installed package (Dockerfile COPY + .dockerignore) starts with its ENTRYPOINT and delivers a message", async () => {
    const image = assembleImage(packageRoot, join(packageRoot, "sidecar", "Dockerfile"), join(work, "image"));
    assert.deepEqual(image.files, [join(work, "image", "app", "sqsd.cjs"), join(work, "image", "app", "sqsd-sdk.cjs")], "the two files the image takes");
    const [node, ...rest] = image.entrypoint;
    assert.equal(node, "node");
    const entry = rest[rest.length - 1] as string;
    const server = await sqsServer();
    const queue = await server.createQueue({ maxReceiveCount: 3 });
    const app = await startApp();
    try {
      // cwd = the image folder: no node_modules anywhere above the bundle's own path matters.
      const proc = startSidecarProcess({ entry, nodeFlags: rest.slice(0, -1), env: daemonEnv(server, queue, app.url) });
      await queue.send("from the installed package");
      const [req] = await app.waitForRequests(1, 30_000);
      assert.equal(req?.body.toString(), "from the installed package");
      await eventually(async () => {
        const c = await queue.counts();
        assert.equal(c.visible + c.inFlight, 0);
      });
      assert.equal((await proc.stop()).code, 0);
    } finally {
      await app.close();
      await queue.delete();
    }
  });

  it("`npx sqsd --help` and `npx sqsd-worker --help` exit 0, each printing its usage once", () => {
    for (const bin of ["sqsd", "sqsd-worker"]) {
      const out = ok(run("npm", ["exec", "--no", "--", bin, "--help"], project), `npx ${bin} --help`);
      assert.equal((out.match(/^Usage:/gm) ?? []).length, 1, `${bin} --help:\n${out}`);
    }
  });

  it("`npx sqsd-worker local` runs the user's app on the embedded emulator with messages from a file, and exits 0", async () => {
    const args = ["local", "--app", "node app.js", "--send", "messages.jsonl", "--exit-when-done", "--sqs-port", "0", "--http-url", `http://127.0.0.1:${await freePort()}/`];
    const out = ok(run("npm", ["exec", "--no", "--", "sqsd-worker", ...args], project), "sqsd-worker local");
    assert.match(out, /^delivered: 2$/m);
    assert.match(out, /worked on \{"order": 1\}/);
    assert.match(out, /worked on plain text/);
  });

  it("`npx sqsd-worker migrate beanstalk <app>` exits 0, and the program it writes type-checks against the installed package", () => {
    const out = join(project, "migrated");
    ok(run("npm", ["exec", "--no", "--", "sqsd-worker", "migrate", "beanstalk", join(REPO_ROOT, "test", "migrate", "fixtures", "beanstalk-app"), "--out", out], project), "sqsd-worker migrate");
    ok(run(process.execPath, [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", join(out, "tsconfig.json"), "--noEmit"], project), "tsc (the migrated program)");
  });

  it("on a Node.js older than the floor, each bin prints one line naming the needed and the found version", function () {
    const old = oldNode();
    if (!old) requireOrSkip(this, "no Node.js older than 22.13 found", ".ci/run sets SQSD_OLD_NODE (the machine's /usr/bin/node is 20)");
    const floor = rootPackage.engines.node.replace(/^>=/, "");
    for (const bin of ["sqsd", "sqsd-worker"]) {
      const r = run(old, [join(project, "node_modules", ".bin", bin), "--help"], project);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, "");
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? "", new RegExp(`^${bin}: needs Node\\.js ${floor.replace(/\./g, "\\.")} or later .*this is Node\\.js 2\\d?\\.\\d+\\.\\d+`));
    }
  });

  it("installs from a git URL of the checkout (npm runs prepare in the clone) and works the same", function () {
    const gitProject = consumerProject(join(work, "git-stack"), `git+file://${REPO_ROOT}`);
    const root = realpathSync(join(gitProject, "node_modules", "sqsd-worker"));
    assert.ok(existsSync(join(root, "dist", "sqsd.cjs")), "prepare built the bundle in the clone");
    assert.equal(existsSync(join(root, "test")), false, "a git install packs the same files as the registry's tarball");
    ok(run(process.execPath, [join(gitProject, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--noEmit"], gitProject), "tsc (git install)");
    const out = ok(run("npm", ["exec", "--no", "--", "sqsd", "--help"], gitProject), "npx sqsd --help (git install)");
    assert.match(out, /^Usage:/m);
    execFileSync(process.execPath, ["-e", 'require("sqsd-worker")'], { cwd: gitProject });
  });
});
