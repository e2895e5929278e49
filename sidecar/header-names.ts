/**
 * Names of the headers a user may have the daemon add (HmacHeader, AuthorizationHeaderName):
 * an HTTP token that none of the daemon's own headers already uses, so a setting can neither
 * break the request nor silently replace a header of the contract.
 */

/** RFC 9110 token characters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Headers HTTP itself or the contract sets (headers.ts; a test holds the two together). */
export const CONTRACT_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "content-type",
  "content-length",
  "connection",
  "transfer-encoding",
  "user-agent",
  "x-amzn-trace-id",
  "x-aws-sqsd-msgid",
  "x-aws-sqsd-queue",
  "x-aws-sqsd-receive-count",
  "x-aws-sqsd-first-received-at",
  "x-aws-sqsd-sent-at",
  "x-aws-sqsd-sender-id",
  "x-aws-sqsd-message-group-id",
  "x-aws-sqsd-sequence-number",
  "x-aws-sqsd-message-deduplication-id",
  "x-aws-sqsd-taskname",
  "x-aws-sqsd-scheduled-at",
  "x-aws-sqsd-path",
]);

/** Message attributes arrive as X-Aws-Sqsd-Attr-<name>. */
export const ATTRIBUTE_HEADER_PREFIX = "x-aws-sqsd-attr-";

/** Why `name` cannot be such a header, or undefined when it can. */
export function headerNameProblem(name: string): string | undefined {
  if (!TOKEN.test(name)) return "must be an HTTP header name: letters, digits and !#$%&'*+-.^_`|~, no spaces or colons";
  const lower = name.toLowerCase();
  if (CONTRACT_HEADERS.has(lower) || lower.startsWith(ATTRIBUTE_HEADER_PREFIX)) return "is a header the daemon sets itself: choose another name";
  return undefined;
}
