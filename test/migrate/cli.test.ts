/**
 * `sqsd-worker migrate` as a command: what it writes, --dry-run, the documented exit codes, and
 * refusals that name the file and line (run in-process through local/cli.ts's main).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { main } from "../../local/cli";
import { FIXTURES } from "./helpers";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, {}, { out: (l) => (out += `${l}\n`), err: (t) => (err += t), stdin: () => "" });
  return { code, out, err };
}

describe("sqsd-worker migrate (the command)", function () {
  this.timeout(60_000);
  let work = "";
  beforeEach(() => (work = mkdtempSync(path.join(tmpdir(), "sqsd-migrate-"))));
  afterEach(() => rmSync(work, { recursive: true, force: true }));
  const app = path.join(FIXTURES, "beanstalk-app");

  it("writes the program and MIGRATION.md, exit 0", async () => {
    const out = path.join(work, "infra");
    const r = await cli("migrate", "beanstalk", app, "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(out).sort(), [".gitignore", "MIGRATION.md", "Pulumi.dev.yaml", "Pulumi.yaml", "cron.yaml", "index.ts", "package.json", "tsconfig.json"]);
    assert.match(r.out, /^59 settings: \d+ mapped, \d+ changed, \d+ not carried over/m);
    const pkg = JSON.parse(readFileSync(path.join(out, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    assert.match(pkg.dependencies["sqsd-worker"] ?? "", /^\^\d+\.\d+\.\d+$/);
  });

  it("--dry-run prints the report and writes nothing", async () => {
    const out = path.join(work, "infra");
    const r = await cli("migrate", "copilot", path.join(FIXTURES, "copilot-app", "copilot", "orders-worker", "manifest.yml"), "--out", out, "--dry-run");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^# Migration report$/m);
    assert.match(r.out, /^\| `environments\.prod\.count\.range` \| `2-20` \|/m);
    assert.equal(existsSync(out), false);
  });

  it("never overwrites: exit 3 and nothing written without --force; --force overwrites", async () => {
    const out = path.join(work, "infra");
    assert.equal((await cli("migrate", "beanstalk", app, "--out", out)).code, 0);
    writeFileSync(path.join(out, "index.ts"), "// my edits\n");
    const again = await cli("migrate", "beanstalk", app, "--out", out, "--format", "yaml");
    assert.equal(again.code, 3);
    assert.match(again.err, /Pulumi\.yaml.*already exist.*nothing written; give --force/);
    assert.equal(readFileSync(path.join(out, "index.ts"), "utf8"), "// my edits\n");
    const forced = await cli("migrate", "beanstalk", app, "--out", out, "--force");
    assert.equal(forced.code, 0, forced.err);
    assert.notEqual(readFileSync(path.join(out, "index.ts"), "utf8"), "// my edits\n");
  });

  it("malformed YAML and JSON: exit 2, naming the file, line and column", async () => {
    const yaml = await cli("migrate", "beanstalk", path.join(FIXTURES, "bad", "malformed-yaml"), "--out", work);
    assert.equal(yaml.code, 2);
    assert.match(yaml.err, /malformed-yaml\/\.ebextensions\/01-sqsd\.config:5:1: not valid YAML/);
    const json = await cli("migrate", "beanstalk", path.join(FIXTURES, "bad", "malformed-json", "02-logs.config"), "--out", work);
    assert.equal(json.code, 2);
    assert.match(json.err, /02-logs\.config:5:5: not valid JSON/);
  });

  it("another Copilot service type is refused: exit 2, saying what it is and what migrates", async () => {
    const r = await cli("migrate", "copilot", path.join(FIXTURES, "bad", "web-service.yml"), "--out", work);
    assert.equal(r.code, 2);
    assert.match(r.err, /web-service\.yml:2: a Load Balanced Web Service manifest; sqsd-worker migrate copilot turns a Worker Service/);
  });

  it("a path without Beanstalk files, a missing file and an unknown option are usage errors: exit 2", async () => {
    const empty = await cli("migrate", "beanstalk", work);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /no Beanstalk configuration here/);
    const missing = await cli("migrate", "copilot", path.join(work, "nope.yml"));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.yml: cannot read \(ENOENT\)/);
    assert.equal((await cli("migrate", "beanstalk", app, "--format", "hcl")).code, 2);
  });

  it("--help documents the exit codes", async () => {
    const r = await cli("migrate", "beanstalk", "--help");
    assert.equal(r.code, 0);
    assert.match(r.out, /Exit codes: 0 written .* 1 unexpected failure; 2 usage error or\s+input refused .* 3 an output file exists/s);
  });
});
