/**
 * Readers of the Beanstalk inputs a team has: `.ebextensions/*.config` (YAML or JSON; option
 * settings as a map or as a list of namespace/option_name/value), a saved configuration
 * (`.elasticbeanstalk/saved_configs/*.cfg.yml`), the JSON of `aws elasticbeanstalk
 * describe-configuration-settings`, and `cron.yaml`. An app folder is searched for the first
 * three's usual places; single files are recognised by name, then by content. The readers only
 * take the files apart (every key kept, with its line): beanstalk-map.ts decides what each becomes.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import type { BeanstalkFile, BeanstalkInput, BeanstalkKind, FileKey, OptionSetting } from "./beanstalk-input";
import { MigrateInputError } from "./errors";
import { SourceFile, type KeyPath } from "./source-file";

/** The namespace Beanstalk assumes for a list item without one (environment properties). */
export const DEFAULT_NAMESPACE = "aws:elasticbeanstalk:application:environment";

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A map-form namespace key, optionally `<ResourceName>.<namespace>`. */
function splitNamespace(key: string): { namespace: string; resource?: string } {
  const m = /^([A-Za-z0-9]+)\.(aws:.+)$/.exec(key);
  return m ? { namespace: m[2] as string, resource: m[1] as string } : { namespace: key };
}

class FileReader {
  readonly options: OptionSetting[] = [];
  readonly keys: FileKey[] = [];
  constructor(
    readonly kind: BeanstalkKind,
    readonly source: SourceFile,
  ) {}
  option(namespace: string, option: string, value: unknown, at: KeyPath, resource?: string): void {
    this.options.push({ namespace, option, value, source: this.source.where(at), kind: this.kind, file: this.source.file, ...(resource !== undefined ? { resource } : {}) });
  }
  key(key: string, value: unknown, at: KeyPath): void {
    this.keys.push({ kind: this.kind, key, value, source: this.source.where(at), file: this.source.file });
  }
  /** `{ namespace: { option: value } }`, the map form of ebextensions and saved configurations. */
  optionMap(value: unknown, at: KeyPath, label: string): void {
    if (!isMap(value)) return this.key(label, value, at);
    for (const [nsKey, options] of Object.entries(value)) {
      const { namespace, resource } = splitNamespace(nsKey);
      if (!isMap(options)) {
        this.key(`${label}.${nsKey}`, options, [...at, nsKey]);
        continue;
      }
      for (const [option, v] of Object.entries(options)) this.option(namespace, option, v, [...at, nsKey, option], resource);
    }
  }
  done(): BeanstalkFile {
    return { kind: this.kind, source: this.source, options: this.options, keys: this.keys };
  }
}

function topLevel(source: SourceFile, what: string): Record<string, unknown> {
  const value = source.value();
  if (value === null || value === undefined) return {};
  if (!isMap(value)) throw new MigrateInputError([`${source.file}:${source.line([])}: expected a mapping at the top of ${what}`]);
  return value;
}

/** `.ebextensions/*.config`: option_settings (map or list form) and the other sections, kept as keys. */
export function readEbextension(source: SourceFile): BeanstalkFile {
  const r = new FileReader("ebextension", source);
  for (const [key, value] of Object.entries(topLevel(source, "an .ebextensions config file"))) {
    if (key !== "option_settings") {
      r.key(key, value, [key]);
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => {
        const at = [key, i];
        if (!isMap(item) || typeof item.option_name !== "string") return r.key(`option_settings[${i}]`, item, at);
        const namespace = typeof item.namespace === "string" ? item.namespace : DEFAULT_NAMESPACE;
        const resource = typeof item.resource_name === "string" ? item.resource_name : undefined;
        r.option(namespace, item.option_name, item.value, at, resource);
        for (const extra of Object.keys(item).filter((k) => !["namespace", "option_name", "value", "resource_name"].includes(k))) {
          r.key(`option_settings[${i}].${extra}`, item[extra], [...at, extra]);
        }
      });
    } else r.optionMap(value, [key], key);
  }
  return r.done();
}

/** A saved configuration: OptionSettings (map form) and its other top-level keys. A web server tier is refused. */
export function readSavedConfiguration(source: SourceFile): BeanstalkFile {
  const r = new FileReader("saved configuration", source);
  const top = topLevel(source, "a saved configuration");
  const tier = isMap(top.EnvironmentTier) ? top.EnvironmentTier.Name : undefined;
  if (typeof tier === "string" && tier !== "Worker") {
    throw new MigrateInputError([
      `${source.where(["EnvironmentTier"])}: this is the saved configuration of a ${tier} environment (EnvironmentTier ${tier}); sqsd-worker migrate turns worker environments (EnvironmentTier Worker) into a WorkerEnvironment`,
    ]);
  }
  for (const [key, value] of Object.entries(top)) {
    if (key === "OptionSettings") r.optionMap(value, [key], key);
    else r.key(key, value, [key]);
  }
  return r.done();
}

/** `aws elasticbeanstalk describe-configuration-settings` output: exactly one environment's settings. */
export function readEnvironmentSettings(source: SourceFile): BeanstalkFile {
  const r = new FileReader("environment settings", source);
  const top = topLevel(source, "describe-configuration-settings output");
  const list = top.ConfigurationSettings;
  if (!Array.isArray(list) || list.length !== 1 || !isMap(list[0])) {
    const n = Array.isArray(list) ? list.length : 0;
    throw new MigrateInputError([`${source.where(["ConfigurationSettings"])}: expected the settings of one environment in ConfigurationSettings, found ${n}: run describe-configuration-settings with --environment-name`]);
  }
  for (const [key, value] of Object.entries(top)) if (key !== "ConfigurationSettings") r.key(key, value, [key]);
  for (const [key, value] of Object.entries(list[0])) {
    const at = ["ConfigurationSettings", 0, key];
    if (key !== "OptionSettings" || !Array.isArray(value)) {
      r.key(key, value, at);
      continue;
    }
    value.forEach((item: unknown, i) => {
      if (!isMap(item) || typeof item.Namespace !== "string" || typeof item.OptionName !== "string") return r.key(`OptionSettings[${i}]`, item, [...at, i]);
      const resource = typeof item.ResourceName === "string" ? item.ResourceName : undefined;
      r.option(item.Namespace, item.OptionName, item.Value, [...at, i], resource);
    });
  }
  return r.done();
}

/** cron.yaml: `version` and each entry's fields as keys (checked and carried by the mapping). */
export function readCronYaml(source: SourceFile): BeanstalkFile {
  const r = new FileReader("cron.yaml", source);
  for (const [key, value] of Object.entries(topLevel(source, "cron.yaml"))) {
    if (key !== "cron" || !Array.isArray(value)) {
      r.key(key, value, [key]);
      continue;
    }
    value.forEach((entry: unknown, i) => {
      if (!isMap(entry)) return r.key(`cron[${i}]`, entry, [key, i]);
      for (const [field, v] of Object.entries(entry)) r.key(`cron[${i}].${field}`, v, [key, i, field]);
    });
  }
  return r.done();
}

const READERS: Record<BeanstalkKind, (s: SourceFile) => BeanstalkFile> = {
  ebextension: readEbextension,
  "saved configuration": readSavedConfiguration,
  "environment settings": readEnvironmentSettings,
  "cron.yaml": readCronYaml,
};

/** The kind of a file given by name, else by what its top level holds. */
function kindOf(source: SourceFile): BeanstalkKind {
  const base = path.basename(source.file);
  if (/^cron\.ya?ml$/i.test(base)) return "cron.yaml";
  if (/\.cfg\.ya?ml$/i.test(base)) return "saved configuration";
  if (/\.config$/i.test(base)) return "ebextension";
  const top = source.value();
  if (isMap(top)) {
    if ("ConfigurationSettings" in top) return "environment settings";
    if ("OptionSettings" in top) return "saved configuration";
    if ("cron" in top && "version" in top) return "cron.yaml";
    if ("option_settings" in top) return "ebextension";
  }
  throw new MigrateInputError([
    `${source.file}: not a Beanstalk file sqsd-worker knows: give an app folder, .ebextensions/*.config, a saved configuration (*.cfg.yml), describe-configuration-settings JSON or cron.yaml`,
  ]);
}

const listDir = (dir: string, pattern: RegExp): string[] =>
  existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => path.join(dir, f)) : [];

/** The Beanstalk files of an app folder (or of an .ebextensions folder itself). */
function filesOf(dir: string): { files: string[]; appDir: string } {
  if (path.basename(path.resolve(dir)) === ".ebextensions") return { files: listDir(dir, /\.config$/i), appDir: path.dirname(path.resolve(dir)) };
  const files = [
    ...listDir(path.join(dir, ".ebextensions"), /\.config$/i),
    ...listDir(path.join(dir, ".elasticbeanstalk", "saved_configs"), /\.cfg\.ya?ml$/i),
    ...listDir(dir, /^cron\.ya?ml$/i),
  ];
  if (files.length === 0) {
    throw new MigrateInputError([`${dir}: no Beanstalk configuration here: expected .ebextensions/*.config, .elasticbeanstalk/saved_configs/*.cfg.yml or cron.yaml (or give the files themselves)`]);
  }
  return { files, appDir: dir };
}

/** The app folder a single file belongs to, by where Beanstalk keeps it. */
function appDirOf(file: string, kind: BeanstalkKind): string | undefined {
  const dir = path.dirname(path.resolve(file));
  if (kind === "ebextension" && path.basename(dir) === ".ebextensions") return path.dirname(dir);
  if (kind === "saved configuration" && path.basename(dir) === "saved_configs") return path.dirname(path.dirname(dir));
  if (kind === "cron.yaml") return dir;
  return undefined;
}

/** Read every path (folders and files); problems of all files are reported together. */
export function readBeanstalk(paths: readonly string[]): BeanstalkInput {
  if (paths.length === 0) throw new MigrateInputError(["give an app folder or Beanstalk files to migrate"]);
  const problems: string[] = [];
  const files: BeanstalkFile[] = [];
  let appDir: string | undefined;
  for (const p of paths) {
    try {
      if (existsSync(p) && statSync(p).isDirectory()) {
        const found = filesOf(p);
        appDir ??= found.appDir;
        for (const f of found.files) files.push(read(f));
      } else {
        const file = read(p);
        appDir ??= appDirOf(p, file.kind);
        files.push(file);
      }
    } catch (err) {
      if (!(err instanceof MigrateInputError)) throw err;
      problems.push(...err.problems);
    }
  }
  for (const kind of ["saved configuration", "environment settings", "cron.yaml"] as const) {
    const several = files.filter((f) => f.kind === kind);
    if (several.length > 1) {
      problems.push(`${several.map((f) => f.source.file).join(", ")}: ${several.length} files of kind ${kind}; an environment has one: give the one it uses`);
    }
  }
  if (problems.length > 0) throw new MigrateInputError(problems);
  return { files, ...(appDir !== undefined ? { appDir } : {}) };
}

function read(file: string): BeanstalkFile {
  const source = SourceFile.read(file);
  return READERS[kindOf(source)](source);
}
