// Child-process launcher for the fauxqs SQS emulator (started by sqs-server.ts), so the
// emulator never shares an event loop with the code under test.
//
// Env: FAUXQS_PORT (0 = any free port), FAUXQS_REGION (default us-east-1),
//      FAUXQS_DATA_DIR (optional: keep queues and messages in SQLite there, so a restart
//      on the same port finds them again).
// Prints "listening <port>" on stdout once it accepts connections. Exits on SIGTERM,
// SIGINT, or when its stdin closes (the parent died).
import { buildApp } from "fauxqs";

const port = Number(process.env.FAUXQS_PORT ?? "0");
const region = process.env.FAUXQS_REGION || "us-east-1";
const dataDir = process.env.FAUXQS_DATA_DIR || undefined;

/** Stores wired to SQLite persistence, built the way fauxqs's own startFauxqs() does. */
async function persistentStores(dir) {
  // These modules are not in fauxqs's export map: import them by file URL.
  const base = import.meta.resolve("fauxqs");
  const load = (rel) => import(new URL(rel, base).href);
  const [{ PersistenceManager }, { SqsStore }, { SnsStore }, { S3Store }] = await Promise.all([
    load("./persistence.js"), load("./sqs/sqsStore.js"), load("./sns/snsStore.js"), load("./s3/s3Store.js"),
  ]);
  const pm = new PersistenceManager(dir);
  const stores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
  pm.load(stores.sqsStore, stores.snsStore, stores.s3Store);
  stores.sqsStore.persistence = pm;
  stores.snsStore.persistence = pm;
  stores.s3Store.persistence = pm;
  for (const queue of stores.sqsStore.allQueues()) queue.persistence = pm;
  return { stores, close: () => pm.close() };
}

// Gap fix: fauxqs's body check is a RegExp without the "u" flag, so it rejects characters
// beyond U+FFFF (emoji), which SQS accepts (#x10000 to #x10FFFF). Replace its test() on the
// shared instance with the full SQS rule.
{
  const { INVALID_MESSAGE_BODY_CHAR } = await import(new URL("./sqs/sqsTypes.js", import.meta.resolve("fauxqs")).href);
  const sqsRule = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
  INVALID_MESSAGE_BODY_CHAR.test = (s) => sqsRule.test(s);
}

const persisted = dataDir ? await persistentStores(dataDir) : undefined;
const app = buildApp({ logger: false, defaultRegion: region, stores: persisted?.stores });
if (persisted) app.addHook("preClose", () => persisted.close());

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  try {
    await app.close();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
process.stdin.on("close", shutdown);
process.stdin.on("end", shutdown);
process.stdin.resume();

await app.listen({ host: "127.0.0.1", port });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === "object" && address ? address.port : port}\n`);
