/**
 * What the Beanstalk readers produce: option settings with where each was set, the other keys of
 * the files (ebextension sections, saved-configuration metadata), cron.yaml and the app folder.
 */
import type { SourceFile } from "./source-file";

/** The four kinds of Beanstalk input, lowest precedence first (see beanstalk-precedence.ts). */
export const BEANSTALK_KINDS = ["ebextension", "saved configuration", "environment settings", "cron.yaml"] as const;
export type BeanstalkKind = (typeof BEANSTALK_KINDS)[number];

/** One option set in one file. */
export interface OptionSetting {
  readonly namespace: string;
  readonly option: string;
  /** The resource a scheduled action option belongs to (`resource_name`, `ResourceName`). */
  readonly resource?: string;
  readonly value: unknown;
  /** "file:line". */
  readonly source: string;
  readonly kind: BeanstalkKind;
  readonly file: string;
}

/** A key of a file that is not an option setting, e.g. an ebextension's `packages` or a saved configuration's `Platform`. */
export interface FileKey {
  readonly kind: BeanstalkKind;
  /** The key as the report shows it, e.g. "packages", "Platform.PlatformArn", "cron[0].name". */
  readonly key: string;
  readonly value: unknown;
  readonly source: string;
  readonly file: string;
}

/** One file read, with its kind. */
export interface BeanstalkFile {
  readonly kind: BeanstalkKind;
  readonly source: SourceFile;
  readonly options: OptionSetting[];
  readonly keys: FileKey[];
}

/** Everything read for one migration. */
export interface BeanstalkInput {
  readonly files: BeanstalkFile[];
  /** The folder holding the app (its Dockerfile), when the input is an app repository. */
  readonly appDir?: string;
}
