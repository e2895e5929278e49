/**
 * The package's version, from package.json without shipping a copy of it: the esbuild
 * bundle (dist/sqsd.cjs, in the image without package.json) gets it as a constant at bundle time; the tsc
 * build and the sources read the package.json above them at load.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Replaced by a string literal when bundled (sidecar/build.ts `define`); undeclared otherwise. */
declare const SQSD_BUNDLED_VERSION: string | undefined;

/** The nearest package.json named sqsd-worker above this file: sidecar/ in a checkout, dist/sidecar/ when installed. */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "sqsd-worker" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no (readable) package.json here: look further up
    }
    if (dirname(dir) === dir) throw new Error(`sqsd-worker's package.json not found above ${from}`);
  }
}

export const VERSION: string = typeof SQSD_BUNDLED_VERSION === "string" ? SQSD_BUNDLED_VERSION : packageVersion();
