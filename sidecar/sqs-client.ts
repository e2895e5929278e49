/**
 * The SQS client the daemon builds for itself: the region and endpoint of the config, keep-alive
 * connections, and a request timeout that outlasts a long poll.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Config } from "./config";

export function createSqsClient(cfg: Config): SQSClient {
  return new SQSClient({
    region: cfg.region,
    endpoint: cfg.endpoint,
    requestHandler: {
      // A receive waits up to WaitTime on the server: only a call well past that is stuck.
      requestTimeout: (cfg.waitTimeSeconds + 10) * 1000,
      // Pollers (up to 11) plus batch calls (8 of each kind) in flight at once.
      httpAgent: { keepAlive: true, maxSockets: 64 },
    },
  });
}
