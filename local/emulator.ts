/**
 * The embedded SQS emulator: fauxqs (npm, pure JavaScript: no Java, no Docker), in this
 * process, on 127.0.0.1 only.
 *
 * fauxqs is ESM-only (its export map has only the "import" condition), so it is loaded with
 * a dynamic import(), which TypeScript keeps as import() in CommonJS output (module nodenext).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "./errors";

/** A running emulator. */
export interface Emulator {
  /** e.g. http://127.0.0.1:4566: always pass it as the SDK client's endpoint. */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/** The installed fauxqs folder (its export map hides package.json and internal modules). */
function fauxqsDir(): string {
  for (const base of require.resolve.paths("fauxqs") ?? []) {
    const dir = join(base, "fauxqs");
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  // An optional dependency of sqsd-worker: absent after `npm install --omit=optional`.
  throw new ConfigError(["the SQS emulator fauxqs is not installed (an optional dependency of sqsd-worker): run `npm install fauxqs`"]);
}

/**
 * Gap fix: fauxqs checks bodies with a RegExp without the "u" flag, so it rejects characters
 * beyond U+FFFF (emoji), which SQS accepts. Replace that shared RegExp's test() with the SQS
 * rule (same fix as the test harness's fauxqs launcher).
 */
async function allowAstralCharacters(dir: string): Promise<void> {
  const types = (await import(pathToFileURL(join(dir, "dist", "sqs", "sqsTypes.js")).href)) as { INVALID_MESSAGE_BODY_CHAR?: RegExp };
  const rule = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
  if (types.INVALID_MESSAGE_BODY_CHAR) types.INVALID_MESSAGE_BODY_CHAR.test = (s: string) => rule.test(s);
}

/** Start fauxqs on 127.0.0.1:`port` (0 = any free port). A port in use is a ConfigError. */
export async function startEmulator(port = 0, region = "us-east-1"): Promise<Emulator> {
  const dir = fauxqsDir();
  await allowAstralCharacters(dir).catch(() => undefined); // best effort: a newer fauxqs may have fixed it
  const { buildApp } = await import("fauxqs");
  const app = buildApp({ logger: false, defaultRegion: region });
  try {
    await app.listen({ host: "127.0.0.1", port });
  } catch (err) {
    await app.close().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "the port is already in use" : (err as Error).message;
    throw new ConfigError([`SQS emulator: cannot listen on 127.0.0.1:${port} (${why}). Pick another --sqs-port, or 0 for any free port.`]);
  }
  const address = app.server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return { endpoint: `http://127.0.0.1:${bound}`, port: bound, close: () => app.close() };
}
