/**
 * `--stack <name>`: the deployed worker's queue, DLQ, cluster and service, from the stack's
 * outputs. Read with `pulumi stack output --json`: the Automation API
 * (LocalWorkspace.selectStack + outputs()) runs that same CLI underneath, so it needs the
 * CLI just the same and only adds its start-up; the CLI's JSON is the same data.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { EXIT, OpsError } from "./errors";

/** What the ops commands take from a stack (the names `WorkerEnvironment` outputs and programs/worker exports). */
export interface StackTarget {
  queueUrl: string;
  dlqUrl?: string;
  clusterName?: string;
  serviceName?: string;
  region?: string;
}

const KEYS = ["queueUrl", "dlqUrl", "clusterName", "serviceName", "region"] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The target in a stack's outputs: top-level `queueUrl` (and friends), or the one exported
 * object that has a `queueUrl` (e.g. `export const worker = new WorkerEnvironment(...)`).
 */
export function targetFromOutputs(stack: string, outputs: Record<string, unknown>): StackTarget {
  let source: Record<string, unknown> = outputs;
  if (typeof outputs.queueUrl !== "string") {
    const nested = Object.entries(outputs).filter(([, v]) => isRecord(v) && typeof v.queueUrl === "string");
    if (nested.length !== 1) {
      const names = Object.keys(outputs);
      const why = nested.length > 1 ? `several outputs have a queueUrl (${nested.map(([k]) => k).join(", ")})` : `it has no queueUrl output (outputs: ${names.length ? names.join(", ") : "none"})`;
      throw new OpsError(EXIT.usage, `stack ${JSON.stringify(stack)}: ${why}; export the worker's queueUrl, dlqUrl, clusterName and serviceName at the top level, or pass --queue-url`);
    }
    source = nested[0]?.[1] as Record<string, unknown>;
  }
  const out: Partial<Record<(typeof KEYS)[number], string>> = {};
  for (const k of KEYS) {
    const v = source[k] ?? outputs[k];
    if (typeof v === "string" && v !== "" && v !== "[secret]") out[k] = v;
  }
  return { ...out, queueUrl: out.queueUrl as string };
}

/** The first line of the CLI's complaint, without its "error: " prefix. */
function firstError(stderr: string): string {
  const line = stderr.split("\n").map((l) => l.trim()).find((l) => /^error:/i.test(l)) ?? stderr.trim().split("\n")[0] ?? "";
  return line.replace(/^error:\s*/i, "");
}

/** Run `pulumi stack output --json --stack <stack>` in `cwd`; resolves with the parsed outputs. */
export function readStackOutputs(stack: string, cwd: string | undefined): Promise<Record<string, unknown>> {
  const where = cwd ? ` in ${cwd}` : "";
  return new Promise((resolve, reject) => {
    execFile("pulumi", ["stack", "output", "--json", "--non-interactive", "--stack", stack], { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { code?: string | number };
        if (e.code === "ENOENT" && !stderr) {
          // ENOENT is also what a missing --cwd gives: tell the two apart.
          return reject(new OpsError(EXIT.usage, cwd && !existsSync(cwd) ? `--cwd ${cwd}: no such directory` : "--stack needs the pulumi CLI and there is none on PATH: install it (https://www.pulumi.com/docs/install/), or pass --queue-url"));
        }
        return reject(new OpsError(EXIT.usage, `stack ${JSON.stringify(stack)}${where}: pulumi: ${firstError(stderr) || err.message}`));
      }
      try {
        const parsed: unknown = JSON.parse(stdout);
        if (!isRecord(parsed)) throw new Error("not a JSON object");
        resolve(parsed);
      } catch (parseErr) {
        reject(new OpsError(EXIT.failed, `stack ${JSON.stringify(stack)}${where}: cannot read the outputs of "pulumi stack output --json" (${(parseErr as Error).message})`));
      }
    });
  });
}

/** The stack's target: outputs read and picked. */
export async function stackTarget(stack: string, cwd: string | undefined): Promise<StackTarget> {
  return targetFromOutputs(stack, await readStackOutputs(stack, cwd));
}
