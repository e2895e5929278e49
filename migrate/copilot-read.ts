/**
 * A Copilot Worker Service manifest: read with the line of every key, refused when it is another
 * service type, and merged with each `environments.<env>` override as Copilot merges them (maps
 * merge key by key, anything else replaces; `image.build` and `image.location` exclude each other).
 */
import * as path from "node:path";
import { MigrateInputError } from "./errors";
import { SourceFile } from "./source-file";

export type Manifest = Record<string, unknown>;

export const WORKER_SERVICE = "Worker Service";

export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface CopilotInput {
  readonly source: SourceFile;
  /** The manifest without `environments`. */
  readonly base: Manifest;
  /** Each environment's override as written (empty for `environments: { test: }`). */
  readonly overrides: ReadonlyMap<string, Manifest>;
  /** The folder Copilot resolves `build` paths against: the workspace root, the parent of `copilot/`. */
  readonly workspace: string;
}

/** The workspace root of a manifest at <root>/copilot/<service>/manifest.yml (else the manifest's folder). */
function workspaceOf(file: string): string {
  const dir = path.dirname(path.resolve(file));
  for (let d = dir; path.dirname(d) !== d; d = path.dirname(d)) {
    if (path.basename(d) === "copilot") return path.dirname(d);
  }
  return dir;
}

export function readManifest(file: string): CopilotInput {
  const source = SourceFile.read(file);
  const value = source.value();
  if (!isMap(value)) throw new MigrateInputError([`${file}:1: expected a Copilot manifest (a mapping with name and type)`]);
  const type = value.type;
  if (type !== WORKER_SERVICE) {
    const what = typeof type === "string" ? `a ${type} manifest` : "a manifest without `type`";
    throw new MigrateInputError([
      `${source.where(["type"])}: ${what}; sqsd-worker migrate copilot turns a Worker Service (type: ${WORKER_SERVICE}) into a WorkerEnvironment. A ${typeof type === "string" ? type : "service"} serves requests or runs on a schedule, which a queue worker does not`,
    ]);
  }
  const { environments, ...base } = value;
  if (environments !== undefined && environments !== null && !isMap(environments)) {
    throw new MigrateInputError([`${source.where(["environments"])}: environments must map environment names to overrides`]);
  }
  const overrides = new Map<string, Manifest>();
  for (const [env, o] of Object.entries(environments ?? {})) {
    if (o !== null && o !== undefined && !isMap(o)) throw new MigrateInputError([`${source.where(["environments", env])}: the override of ${env} must be a mapping of manifest fields`]);
    overrides.set(env, o ?? {});
  }
  return { source, base, overrides, workspace: workspaceOf(file) };
}

/** Copilot's merge of an environment override onto the manifest. */
export function mergeOverride(base: unknown, override: unknown, at: readonly string[] = []): unknown {
  if (override === null || override === undefined) return base;
  if (!isMap(base) || !isMap(override)) return override;
  const merged: Manifest = { ...base };
  for (const [k, v] of Object.entries(override)) merged[k] = mergeOverride(base[k], v, [...at, k]);
  // One way to get the image: setting one drops the other.
  if (at.join(".") === "image") {
    if ("location" in override) delete merged.build;
    if ("build" in override) delete merged.location;
  }
  return merged;
}
