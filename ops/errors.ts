/**
 * How the ops commands fail: one clear line and an exit code per kind of failure, so a
 * script can tell a typo in a queue URL from missing credentials, a missing permission or
 * throttling without parsing text. The SDK's own error names are mapped here, once.
 */
import { ConfigError } from "../local/errors";
import { DeclinedError } from "../local/confirm";
import { MoveTaskError } from "../local/move-task";

/** Exit codes of `sqsd-worker status | dlq | send` (docs/operating.md lists them). */
export const EXIT = {
  ok: 0,
  /** Anything else: a network error, a failed move task, refused messages, a "no" to the question. */
  failed: 1,
  /** Bad options or input, no confirmation possible, no stack or no pulumi CLI. */
  usage: 2,
  /** `status --check`: the dead-letter queue is not empty. */
  check: 3,
  /** No AWS credentials found, or they were rejected (invalid, expired). */
  credentials: 4,
  /** The credentials may not do this (an IAM or KMS permission is missing). */
  accessDenied: 5,
  /** The queue, DLQ, cluster or service does not exist (a wrong URL or name, or wrong region). */
  notFound: 6,
  /** AWS throttled the calls, still after the SDK's retries. */
  throttled: 7,
} as const;

/** A failure with its exit code and its one line. */
export class OpsError extends Error {
  override name = "OpsError";
  constructor(
    readonly exitCode: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const CREDENTIALS = /^(CredentialsProviderError|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|IncompleteSignature|InvalidSignatureException|ExpiredToken|ExpiredTokenException|TokenRefreshRequired|InvalidAccessKeyId|MissingAuthenticationToken)$/;
const DENIED = /AccessDenied|AuthorizationError|NotAuthorized|UnauthorizedOperation|^KMS\.|KmsAccessDenied|InvalidSecurity/;
const THROTTLED = /Throttl|TooManyRequests|RequestLimitExceeded|OverLimit|SlowDown/;
const NOT_FOUND = /QueueDoesNotExist|NonExistentQueue|ClusterNotFound|ServiceNotFound|ResourceNotFound/;
const NETWORK = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/;

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  cause?: { code?: string };
  /** Set by the clients' middleware (clients.ts): the call and its resource. */
  $call?: string;
}

/**
 * The error as an OpsError whose line names the call and its resource ("SQS
 * GetQueueAttributes on <url>", as the clients' middleware records it; else `call`).
 */
export function explainError(err: unknown, fallbackCall = "AWS"): OpsError {
  if (err instanceof OpsError) return err;
  if (err instanceof ConfigError) return new OpsError(EXIT.usage, err.problems.join("; "), { cause: err });
  if (err instanceof DeclinedError || err instanceof MoveTaskError) return new OpsError(EXIT.failed, err.message, { cause: err });
  const e = (err ?? {}) as SdkErrorShape;
  const call = e.$call ?? fallbackCall;
  const name = e.name ?? "Error";
  const text = (e.message ?? String(err)).split("\n")[0] ?? "";
  const status = e.$metadata?.httpStatusCode;
  const netCode = NETWORK.test(e.code ?? "") ? e.code : NETWORK.test(e.cause?.code ?? "") ? e.cause?.code : undefined;
  if (name === "CredentialsProviderError" || /Could not load credentials/.test(text)) {
    return new OpsError(EXIT.credentials, `no AWS credentials found (standard chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, instance or task role): run "aws configure" or "aws sso login", or set AWS_PROFILE`, { cause: err });
  }
  if (CREDENTIALS.test(name)) return new OpsError(EXIT.credentials, `${call}: the AWS credentials were rejected (${name}: ${text}); check AWS_PROFILE or renew them`, { cause: err });
  if (DENIED.test(name) || status === 403) return new OpsError(EXIT.accessDenied, `${call}: access denied (${name}: ${text}); the credentials need that permission`, { cause: err });
  if (THROTTLED.test(name) || e.$retryable?.throttling === true || status === 429) {
    return new OpsError(EXIT.throttled, `${call}: throttled by AWS (${name}), still after retries; try again later or raise AWS_MAX_ATTEMPTS`, { cause: err });
  }
  if (NOT_FOUND.test(name)) return new OpsError(EXIT.notFound, `${call}: does not exist (${name}); check the URL or name, and the region`, { cause: err });
  if (/Region is missing/i.test(text)) return new OpsError(EXIT.usage, "no AWS region: pass --region, or set AWS_REGION", { cause: err });
  if (netCode) return new OpsError(EXIT.failed, `${call}: cannot reach the endpoint (${netCode})`, { cause: err });
  return new OpsError(EXIT.failed, `${call}: ${name}: ${text}`, { cause: err });
}
