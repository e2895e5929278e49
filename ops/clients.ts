/**
 * AWS clients of the ops commands: the standard credential chain and region resolution of
 * the SDK, `--region` and `--endpoint` (SQS; ECS and CloudWatch follow the SDK's own
 * AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_CLOUDWATCH), and a middleware that records which
 * call failed on what, so every error line names them (errors.ts).
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SQSClient } from "@aws-sdk/client-sqs";
// Types only (erased from dist/), so @smithy/types is a devDependency.
import type { InitializeHandlerOptions, InitializeMiddleware, MetadataBearer } from "@smithy/types";

export interface AwsOptions {
  /** Default: the queue URL's region, then the SDK's (AWS_REGION, the profile). */
  region?: string;
  /** SQS endpoint override (an emulator). */
  endpoint?: string;
}

/** The region in a queue URL's host: sqs.<region>.amazonaws.com[.cn], or the legacy <region>.queue.amazonaws.com. */
export function regionOfQueueUrl(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  return /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host)?.[1] ?? /^([a-z0-9-]+)\.queue\.amazonaws\.com(\.cn)?$/.exec(host)?.[1] ?? (host === "queue.amazonaws.com" ? "us-east-1" : undefined);
}

/** The client's middleware stack, as far as adding one initialize step needs it. */
interface WithMiddleware {
  middlewareStack: { add(middleware: InitializeMiddleware<object, MetadataBearer>, options: InitializeHandlerOptions & { name: string }): void };
}

/** The resource a call names: its queue, or its cluster and service. */
function resourceOf(input: object): string {
  const i = input as { QueueUrl?: string; SourceArn?: string; cluster?: string; services?: string[] };
  if (i.QueueUrl) return ` on ${i.QueueUrl}`;
  if (i.SourceArn) return ` on ${i.SourceArn}`;
  if (i.cluster) return ` on ${i.services?.join(", ") ?? ""} in cluster ${i.cluster}`;
  return "";
}

/** Tag every error with "<service> <operation> on <resource>". */
function nameCalls<C extends WithMiddleware>(client: C): C {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (err && typeof err === "object") {
          const service = (context.clientName ?? "AWS").replace(/Client$/, "");
          const op = (context.commandName ?? "call").replace(/Command$/, "");
          Object.assign(err, { $call: `${service} ${op}${resourceOf(args.input)}` });
        }
        throw err;
      }
    },
    { step: "initialize", name: "sqsdWorkerNameCalls" },
  );
  return client;
}

export function sqsClient(o: AwsOptions): SQSClient {
  return nameCalls(new SQSClient({ region: o.region, endpoint: o.endpoint }));
}

export function ecsClient(o: AwsOptions): ECSClient {
  return nameCalls(new ECSClient({ region: o.region }));
}

export function cloudWatchClient(o: AwsOptions): CloudWatchClient {
  return nameCalls(new CloudWatchClient({ region: o.region }));
}
