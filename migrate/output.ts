/** Writing the program: into a folder, never over an existing file unless --force. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { OutputExistsError } from "./errors";

/** Write `files` (name → text) into `dir`; throws OutputExistsError listing what exists, before writing anything. */
export function writeFiles(dir: string, files: ReadonlyMap<string, string>, force: boolean): string[] {
  const targets = [...files.keys()].map((f) => path.join(dir, f));
  const existing = targets.filter((t) => existsSync(t));
  if (existing.length > 0 && !force) throw new OutputExistsError(existing);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of files) writeFileSync(path.join(dir, name), text);
  return targets;
}
