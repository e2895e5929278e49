/**
 * The sqsd-worker package the migrator belongs to (its version and dependency ranges), so a
 * generated program depends on the release that generated it. Found by walking up from this
 * module: migrate/ in a checkout, dist/migrate/ in an installed package.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export interface OwnPackage {
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

let cached: OwnPackage | undefined;

export function ownPackage(): OwnPackage {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    if (pkg.name !== "sqsd-worker") continue;
    cached = { version: pkg.version ?? "0.0.0", dependencies: pkg.dependencies ?? {}, devDependencies: pkg.devDependencies ?? {} };
    return cached;
  }
  throw new Error(`no sqsd-worker package.json above ${__dirname}`);
}
