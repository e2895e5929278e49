/**
 * What a Copilot field's rule sees and changes: the manifest (merged for one environment), the
 * main worker's arguments, the subscriptions and the topic workers, and where paths resolve.
 */
import type { Manifest } from "./copilot-read";
import type { Disposition } from "./report-rows";
import type { KeyPath } from "./source-file";
import type { ArgMap, ArgsTree } from "./values";

/** Where a rule applies: the concrete path, the names bound to `<name>`/`<volume>`, the list indexes. */
export interface Where {
  readonly path: KeyPath;
  readonly names: readonly string[];
  readonly indexes: readonly number[];
}

/** The worker a subscribed topic delivers to: the main one, or its own (a topic with `queue`). */
export interface TopicTarget {
  readonly args: ArgsTree;
  /** Its snsSubscriptions item. */
  readonly subscription: ArgMap;
  /** "" for the main worker, "<worker name>: " for the topic's own, prefixed to the report's argument paths. */
  readonly label: string;
}

export interface CopilotContext {
  readonly manifest: Manifest;
  readonly args: ArgsTree;
  /** The folder Copilot resolves paths against, and the program's folder. */
  readonly workspace: string;
  readonly outDir: string;
  readonly serviceName: string;
  topic(index: number): TopicTarget;
}

export interface CopilotRule {
  /** The field of the Worker Service manifest it implements (test/component/fixtures/copilot-worker-manifest-fields.txt). */
  readonly field: string;
  /** Arguments it may set (tests hold them to docs/migrating-from-copilot.md's row of `field`). */
  readonly args: readonly string[];
  /** Take a map value whole (labels, build args, a filter policy) instead of walking into it. */
  readonly whole?: boolean | ((value: unknown) => boolean);
  /** The setting's fate: for a scalar or a list, or a map when `whole`. */
  readonly apply?: (value: unknown, where: Where, ctx: CopilotContext) => Disposition;
  /** For a map that is walked further: what the map itself implies (e.g. `fifo: {…}` is a FIFO queue). */
  readonly enter?: (value: Manifest, where: Where, ctx: CopilotContext) => void;
}
