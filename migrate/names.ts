/**
 * Names the migrator makes up from the input: the component's (letters, digits, "-" and "_",
 * short enough for every physical name the component derives from it, see component/names.ts),
 * the Pulumi project's and the stacks'.
 */

/** A component name: invalid characters become "-", at most 32 characters, never empty. */
export function componentName(raw: string | undefined, fallback = "worker"): string {
  const cleaned = (raw ?? "").replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 32).replace(/-+$/, "");
  return cleaned === "" ? fallback : cleaned;
}

/** A Pulumi project or stack name: letters, digits, "-", "_" and ".". */
export function pulumiName(raw: string | undefined, fallback: string): string {
  const cleaned = (raw ?? "").replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, 100);
  return cleaned === "" ? fallback : cleaned;
}

/** "orders-events" → "ordersEvents"; ["scaling", "maxCount"] → "scalingMaxCount"; ["app", "environment", "LOG_LEVEL"] → "appEnvironmentLOG_LEVEL". */
export function camelKey(parts: readonly string[]): string {
  const words = parts.flatMap((p) => p.split(/[^A-Za-z0-9_]+/)).filter((w) => w !== "");
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
}

/** The region named by an AWS ARN or an SQS URL in `text`. */
export function regionIn(text: string): string | undefined {
  return /arn:aws[\w-]*:[a-z0-9-]+:([a-z]{2}(?:-gov)?-[a-z]+-\d):/.exec(text)?.[1] ?? /sqs\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com/.exec(text)?.[1];
}
