/**
 * `npm start`: the whole worker pattern on a laptop, end to end, in well under a minute.
 * Embedded SQS emulator, queue + DLQ (maxReceiveCount 3), the sample app, the sidecar,
 * five sample messages (one the app rejects: retried, then dead-lettered) and one run of a
 * periodic task; then a summary, and exit 0.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadCronYaml } from "./cron-config";
import { freePort } from "./ports";
import { runSession } from "./run";
import { parseSendText } from "./send-lines";

/** Longest wait for everything to settle before the example gives up (exit 1). */
const SETTLE_TIMEOUT_MS = 45_000;

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const messagesFile = join(__dirname, "example-messages.jsonl");
  const cronFile = join(__dirname, "example-cron.yaml");
  const messages = parseSendText(readFileSync(messagesFile, "utf8"), "example-messages.jsonl");
  const cron = loadCronYaml(readFileSync(cronFile, "utf8"), "example-cron.yaml");
  const port = await freePort();
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print("sqsd-worker local example: SQS emulator + sidecar + sample app, no AWS account needed");
  // The app runs as a child process, exactly as `sqsd-worker local --app` runs yours.
  const appCommand = [process.execPath, "--import", "tsx", join(__dirname, "sample-app.ts")].map((a) => JSON.stringify(a)).join(" ");
  return runSession(
    {
      // Small retry settings so the failing message reaches the DLQ in seconds.
      flags: { HttpUrl: `http://127.0.0.1:${port}/`, MaxRetries: "3", ErrorVisibilityTimeout: "1" },
      env,
      appCommand,
      cron,
      sqsPort: 0,
      queueName: "example-worker",
      print,
    },
    async (session) => {
      await session.send(messages, "example-messages.jsonl");
      const first = cron[0];
      if (first) await session.fireTask(first.name);
      await session.waitSettled(SETTLE_TIMEOUT_MS);
    },
  );
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`example failed: ${String((err as Error)?.stack ?? err)}\n`);
      process.exit(1);
    },
  );
}
