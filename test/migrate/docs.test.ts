/**
 * The "Migrate in five minutes" examples of README.md and the migration guides are real: their
 * input files (code blocks opening with `# <path>`) are written to a folder, the command their
 * `sh` block shows is run there, and each output block (the one after a paragraph naming
 * `infra/<file>`) must be what the migrator writes: the whole file, or for MIGRATION.md, rows
 * it holds.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { main } from "../../local/cli";
import { read } from "../component/mapping-table";

interface Block {
  readonly lang: string;
  readonly text: string;
  /** The paragraph just before the fence. */
  readonly intro: string;
}

/** The text under `heading` up to the next heading of its level or higher, skipping code blocks (their `# comment` lines are no headings). */
function fencedSection(markdown: string, heading: string): string {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `no section ${heading}`);
  let fenced = false;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.startsWith("```")) fenced = !fenced;
    if (!fenced && /^#{1,2} /.test(line)) return lines.slice(start + 1, i).join("\n");
  }
  return lines.slice(start + 1).join("\n");
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    assert.ok(end > i, `an unclosed code block at line ${i + 1}`);
    const before = lines.slice(0, i);
    const start = before.lastIndexOf("", before.length - 2);
    found.push({ lang: open[1] ?? "", text: `${lines.slice(i + 1, end).join("\n")}\n`, intro: before.slice(start + 1).join(" ") });
    i = end;
  }
  return found;
}

for (const doc of ["README.md", "docs/migrating-from-beanstalk.md", "docs/migrating-from-copilot.md"]) {
  describe(`${doc}: "Migrate in five minutes"`, function () {
    this.timeout(60_000);
    const all = blocks(fencedSection(read(doc), "## Migrate in five minutes"));
    const command = all.flatMap((b) => (b.lang === "sh" ? [/npx sqsd-worker migrate (beanstalk|copilot) (\S+) --out (\S+)/.exec(b.text)] : [])).find((m) => m !== null);
    const inputs = all.filter((b) => /^# \S+\n/.test(b.text) && !/`infra\//.test(b.intro));
    const outputs = all.filter((b) => /`infra\/[\w.]+`/.test(b.intro) && b.lang !== "sh");

    it("shows an input, the command, and what it writes", () => {
      assert.ok(command, "a `npx sqsd-worker migrate … --out …` block");
      assert.ok(inputs.length > 0 && outputs.some((b) => b.lang === "ts"), "input files and the generated index.ts");
    });

    it("is what the migrator writes for that input", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "sqsd-migrate-doc-"));
      const cwd = process.cwd();
      try {
        const base = path.join(dir, doc.includes("copilot") ? "" : "reports");
        for (const b of inputs) {
          const file = path.join(base, /^# (\S+)/.exec(b.text)?.[1] as string);
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, b.text);
        }
        const [, tool, input, out] = command as RegExpExecArray;
        process.chdir(base);
        let err = "";
        const code = await main(["migrate", tool as string, input as string, "--out", out as string], {}, { out: () => undefined, err: (t) => (err += t), stdin: () => "" });
        assert.equal(code, 0, err);
        for (const b of outputs) {
          const name = [...b.intro.matchAll(/`infra\/([\w.]+)`/g)].pop()?.[1] as string;
          const written = readFileSync(path.join(base, out as string, name), "utf8");
          if (name !== "MIGRATION.md") assert.equal(b.text, written, `${doc}: infra/${name}`);
          else for (const row of b.text.split("\n").filter((l) => l.startsWith("| `"))) assert.ok(written.includes(`${row}\n`), `${doc}: MIGRATION.md has ${row}`);
        }
      } finally {
        process.chdir(cwd);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
