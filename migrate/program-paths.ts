/**
 * Paths in the generated program are relative to the program's folder (Pulumi runs a program
 * with that folder as its working directory), so the output folder can move with the app.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** `target` as the program in `outDir` sees it: "../app", "./cron.yaml". */
export function fromProgram(outDir: string, target: string): string {
  const rel = path.relative(path.resolve(outDir), path.resolve(target)).split(path.sep).join("/");
  if (rel === "") return ".";
  return rel.startsWith("..") ? rel : `./${rel}`;
}

/** The first port a Dockerfile EXPOSEs, if it has one. */
export function exposedPort(dockerfile: string): number | undefined {
  if (!existsSync(dockerfile)) return undefined;
  const m = /^\s*EXPOSE\s+(\d+)/im.exec(readFileSync(dockerfile, "utf8"));
  const port = m ? Number(m[1]) : NaN;
  return port >= 1 && port <= 65535 ? port : undefined;
}
