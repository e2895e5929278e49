/**
 * The parts of one sidecar contract test: the shared SQS server, and a queue, an app and a
 * daemon that the test creates and that are cleaned up after it, whatever happened.
 */
import type { TestApp } from "./app-server";
import type { RunningDaemon } from "./daemon";
import { sqsServer, type SqsServer, type TestQueue } from "./sqs-server";

export interface SidecarTest {
  server: SqsServer;
  queue: TestQueue;
  app: TestApp;
  d: RunningDaemon;
}

/** Call inside a `describe`: registers the hooks and returns the (filled-in) parts. */
export function sidecarTest(): SidecarTest {
  const t = {} as SidecarTest;
  const parts = t as Partial<SidecarTest>;
  before(async () => {
    t.server = await sqsServer();
  });
  afterEach(async () => {
    await parts.d?.stop({ abortReceives: true }); // the queue is deleted next
    await parts.app?.close();
    await parts.queue?.delete();
    delete parts.d;
    delete parts.app;
    delete parts.queue;
  });
  return t;
}
