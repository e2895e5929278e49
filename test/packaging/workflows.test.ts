/**
 * The GitHub Actions workflows (.github/workflows, docs/releasing.md) cannot run here: no forge,
 * no Docker engine, no registry credentials. What can be checked here is checked:
 * - actionlint (built by .ci/actionlint.sh, found through env ACTIONLINT) reports nothing: syntax,
 *   expressions and their types, job graph, reusable-workflow calls, permissions, and the `run:`
 *   scripts through shellcheck when it is on PATH; a second pass reads each SHA pin as its
 *   release's major version, so that actionlint also checks the inputs given to the actions it
 *   knows;
 * - the structure the release depends on: what triggers it, what runs first, how it publishes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { requireOrSkip } from "../support/ci-requirement";

const repoRoot = path.resolve(__dirname, "../..");
const workflowsDir = path.join(repoRoot, ".github/workflows");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  uses?: string;
  if?: string;
  permissions?: Record<string, string>;
  "timeout-minutes"?: number;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, Record<string, unknown> | null>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflowFiles = (): string[] =>
  fs.existsSync(workflowsDir) ? fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
const readText = (file: string): string => fs.readFileSync(path.join(workflowsDir, file), "utf8");
const readWorkflow = (file: string): Workflow => parse(readText(file)) as Workflow;

const steps = (wf: Workflow): Array<Step & { job: string }> =>
  Object.entries(wf.jobs).flatMap(([job, j]) => (j.steps ?? []).map((s) => ({ ...s, job })));
/** The steps using `action` (owner/name, any ref). */
const stepsUsing = (wf: Workflow, action: string): Array<Step & { job: string }> =>
  steps(wf).filter((s) => s.uses?.split("@")[0] === action);
/** The jobs that `job` waits for, directly or not. */
function needsClosure(wf: Workflow, job: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const needs = wf.jobs[name]?.needs ?? [];
    for (const n of typeof needs === "string" ? [needs] : needs) {
      if (!seen.has(n)) {
        seen.add(n);
        visit(n);
      }
    }
  };
  visit(job);
  return seen;
}

/** Remote actions may be pinned by a ref other than a commit SHA only here (docs/releasing.md). */
const notShaPinned = new Map([["pypa/gh-action-pypi-publish", "release/v1"]]);
/** `uses: owner/name[/path]@<40 hex> # vX[.Y[.Z]]`. */
const shaPin = /^\s*-?\s*uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40})\s+#\s+(v\d+)(?:\.\d+){0,2}\s*$/;

function runActionlint(bin: string, cwd: string, files: string[]): { status: number | null; output: string } {
  const r = spawnSync(bin, ["-no-color", "-oneline", ...files], { cwd, encoding: "utf8" });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

describe("packaging: GitHub Actions workflows (.github/workflows)", function () {
  this.timeout(60000);

  it("has ci.yml and release.yml", () => {
    for (const f of ["ci.yml", "release.yml"]) assert.ok(workflowFiles().includes(f), `.github/workflows/${f} is missing`);
  });

  describe("actionlint reports nothing", function () {
    let actionlint = "";
    before(function () {
      actionlint = process.env.ACTIONLINT ?? "";
      if (!actionlint) requireOrSkip(this, "ACTIONLINT is unset", "bash .ci/actionlint.sh builds actionlint and prints its path; .ci/run exports ACTIONLINT");
      if (spawnSync("shellcheck", ["--version"]).status !== 0) {
        console.log("      note: no shellcheck on PATH: actionlint does not check the run: scripts");
      }
    });

    it("on the workflows as written", () => {
      const files = workflowFiles().map((f) => path.join(".github/workflows", f));
      const { status, output } = runActionlint(actionlint, repoRoot, files);
      assert.ok(output === "", `actionlint found problems:\n${output}`);
      assert.equal(status, 0, `actionlint exited ${status}`);
    });

    it("with each SHA pin read as its major version (inputs of the actions actionlint knows)", () => {
      // actionlint checks an action's inputs only for the refs it has metadata for (vN), not
      // for commit SHAs. A copy with `@<sha> # vX.Y.Z` read as `@vX` (a project: .git and
      // .github/workflows, so that ./.github/workflows/ci.yml resolves).
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sqsd-actionlint-"));
      try {
        fs.mkdirSync(path.join(dir, ".github/workflows"), { recursive: true });
        fs.mkdirSync(path.join(dir, ".git"));
        for (const f of workflowFiles()) {
          const text = readText(f)
            .split("\n")
            .map((line) => line.replace(/@[0-9a-f]{40}\s+#\s+(v\d+)(?:\.\d+){0,2}\s*$/, "@$1"))
            .join("\n");
          fs.writeFileSync(path.join(dir, ".github/workflows", f), text);
        }
        const { status, output } = runActionlint(actionlint, dir, workflowFiles().map((f) => path.join(".github/workflows", f)));
        assert.ok(output === "", `actionlint found problems:\n${output}`);
        assert.equal(status, 0, `actionlint exited ${status}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("structure", () => {
    it("every remote action is pinned to a commit SHA, with its release in a comment", () => {
      const problems: string[] = [];
      for (const f of workflowFiles()) {
        readText(f)
          .split("\n")
          .forEach((line, i) => {
            const m = /^\s*-?\s*uses:\s*(\S+)/.exec(line);
            if (!m?.[1] || m[1].startsWith("./")) return;
            const [action = "", ref = ""] = m[1].split("@");
            if (notShaPinned.get(action) === ref) return;
            if (!shaPin.test(line)) problems.push(`${f}:${i + 1}: ${line.trim()}`);
          });
      }
      assert.deepEqual(problems, [], "pin as `uses: owner/name@<full commit SHA> # vX.Y.Z`");
    });

    it("ci.yml: push and pull_request run `bash .ci/run` with Go, Java 17 and Python, read-only, within 90 min", () => {
      const wf = readWorkflow("ci.yml");
      for (const trigger of ["push", "pull_request", "workflow_call"]) assert.ok(trigger in wf.on, `ci.yml: no ${trigger} trigger`);
      assert.deepEqual(wf.permissions, { contents: "read" });
      const run = steps(wf).filter((s) => s.run?.trim() === "bash .ci/run");
      assert.equal(run.length, 1, "ci.yml: one step runs exactly `bash .ci/run`");
      const job = wf.jobs[run[0]?.job ?? ""];
      assert.ok(job?.["timeout-minutes"] !== undefined && job["timeout-minutes"] <= 90, "ci.yml: timeout-minutes at most 90");
      assert.equal(stepsUsing(wf, "actions/setup-go").length, 1);
      assert.equal(String(stepsUsing(wf, "actions/setup-java")[0]?.with?.["java-version"]), "17");
      assert.equal(stepsUsing(wf, "actions/setup-python").length, 1);
      const cached = stepsUsing(wf, "actions/cache").map((s) => String(s.with?.path));
      for (const p of ["~/.cache/sqsd-worker", "~/.npm", "~/.m2", "~/go/pkg/mod", "~/.cache/go-build"]) {
        assert.ok(cached.some((c) => c.includes(p)), `ci.yml: ${p} is not cached`);
      }
    });

    it("release.yml: only a version tag triggers it, and it runs CI and the version check before publishing", () => {
      const wf = readWorkflow("release.yml");
      assert.deepEqual(Object.keys(wf.on), ["push"], "release.yml: triggered by push only");
      const push = wf.on.push ?? {};
      assert.deepEqual(Object.keys(push), ["tags"], "release.yml: push filtered by tags only (no branches, no paths)");
      assert.deepEqual(push.tags, ["v*.*.*"]);
      assert.deepEqual(wf.permissions, { contents: "read" }, "release.yml: read-only by default");

      const ciJobs = Object.entries(wf.jobs).filter(([, j]) => j.uses === "./.github/workflows/ci.yml");
      assert.equal(ciJobs.length, 1, "release.yml: one job calls ci.yml");
      const check = steps(wf).find((s) => /\bpackage\.json provider\/package\.json\b/.test(s.run ?? ""));
      assert.ok(check, "release.yml: no step checks the tag against package.json and provider/package.json");

      const publishing = Object.entries(wf.jobs).filter(([, j]) =>
        (j.steps ?? []).some(
          (s) =>
            /\bnpm publish\b/.test(s.run ?? "") ||
            ["docker/build-push-action", "softprops/action-gh-release", "pypa/gh-action-pypi-publish"].includes(s.uses?.split("@")[0] ?? ""),
        ),
      );
      assert.equal(publishing.length, 4, "release.yml: npm, image, GitHub Release, PyPI");
      for (const [name] of publishing) {
        const before = needsClosure(wf, name);
        assert.ok(before.has(ciJobs[0]?.[0] ?? ""), `release.yml: ${name} does not wait for CI`);
        assert.ok(before.has(check?.job ?? ""), `release.yml: ${name} does not wait for the version check`);
      }
    });

    it("release.yml: npm publish with provenance, under id-token: write", () => {
      const wf = readWorkflow("release.yml");
      const publish = steps(wf).filter((s) => /\bnpm publish\b/.test(s.run ?? ""));
      assert.equal(publish.length, 1);
      assert.match(publish[0]?.run ?? "", /npm publish --provenance --access public/);
      assert.equal(wf.jobs[publish[0]?.job ?? ""]?.permissions?.["id-token"], "write");
    });

    it("release.yml: the sidecar image for linux/amd64 and linux/arm64 to ghcr.io/<owner>/sqsd, with attestations", () => {
      const wf = readWorkflow("release.yml");
      const build = stepsUsing(wf, "docker/build-push-action");
      assert.equal(build.length, 1);
      const w = build[0]?.with ?? {};
      const platforms = String(w.platforms).split(/[\s,]+/).filter(Boolean).sort();
      assert.deepEqual(platforms, ["linux/amd64", "linux/arm64"]);
      assert.equal(w.file, "sidecar/Dockerfile");
      assert.equal(w.context, ".");
      assert.equal(w.push, true);
      assert.equal(w.sbom, true);
      assert.match(String(w.provenance), /^(true|mode=max)$/);
      const job = wf.jobs[build[0]?.job ?? ""];
      assert.equal(job?.permissions?.packages, "write");
      assert.ok((job?.steps ?? []).some((s) => /npm run build/.test(s.run ?? "")), "the image job builds dist/sqsd.cjs first");
      const meta = stepsUsing(wf, "docker/metadata-action")[0]?.with ?? {};
      assert.equal(meta.images, "ghcr.io/${{ github.repository_owner }}/sqsd");
      for (const tag of ["pattern={{version}}", "pattern={{major}}.{{minor}}", "value=latest"]) assert.ok(String(meta.tags).includes(tag), `image tags: no ${tag}`);
    });

    it("release.yml: contents: write only for the GitHub Release; PyPI only behind vars.PUBLISH_PYPI", () => {
      const wf = readWorkflow("release.yml");
      const writers = Object.entries(wf.jobs).filter(([, j]) => j.permissions?.contents === "write").map(([n]) => n);
      const releaser = stepsUsing(wf, "softprops/action-gh-release").map((s) => s.job);
      assert.deepEqual(writers, releaser);
      const pypi = stepsUsing(wf, "pypa/gh-action-pypi-publish")[0];
      const job = wf.jobs[pypi?.job ?? ""];
      assert.match(job?.if ?? "", /vars\.PUBLISH_PYPI == 'true'/);
      assert.equal(job?.permissions?.["id-token"], "write");
    });

    it("release.yml: the Python and Go SDKs come from sdk/schema.json through `pulumi package gen-sdk`", () => {
      const wf = readWorkflow("release.yml");
      const gen = steps(wf).find((s) => /pulumi package gen-sdk/.test(s.run ?? ""));
      assert.match(gen?.run ?? "", /sdk\/schema\.json/);
      assert.match(gen?.run ?? "", /for language in python go/);
      assert.ok(steps(wf).some((s) => /python -m build/.test(s.run ?? "")), "no `python -m build`");
    });
  });
});
