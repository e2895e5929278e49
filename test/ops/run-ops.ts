/**
 * Run the ops commands as a user would: `sqsd-worker <args>` in a child process, with test
 * credentials and no way to reach AWS (no profile files, no instance metadata), and the same
 * under a pseudo-terminal (`script`) for progress bars and questions.
 */
import { spawn } from "node:child_process";
import { ROOT, runTs, type CliRun } from "../local/run-cli";

/** Dummy credentials and region; nothing that could reach a real account or 169.254.169.254. */
export const AWS_TEST_ENV: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_REGION: "us-east-1",
  AWS_DEFAULT_REGION: undefined,
  AWS_CONFIG_FILE: "/nonexistent/aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_SQS: undefined,
  AWS_ENDPOINT_URL_ECS: undefined,
  AWS_ENDPOINT_URL_CLOUDWATCH: undefined,
  AWS_MAX_ATTEMPTS: "2",
};

/** `sqsd-worker <args>` (started; see CliRun). */
export function startOps(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  return runTs("local/cli.ts", args, { ...AWS_TEST_ENV, ...env });
}

/** `sqsd-worker <args>` to its end: exit code and all output (stdout and stderr). */
export async function ops(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  const run = startOps(args, env);
  const { code } = await run.exited;
  return { code, out: run.output() };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The same under a pseudo-terminal: stdin, stdout and stderr are a TTY; `input` is typed in. */
export function opsOnTerminal(args: string[], input = "", env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  const command = [process.execPath, "--import", "tsx", "local/cli.ts", ...args].map(quote).join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: ROOT, env: { ...process.env, ...AWS_TEST_ENV, ...env, COLUMNS: "100" }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stdin.end(input);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out })));
}
