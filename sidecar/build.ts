/**
 * Bundle the daemon into one file, dist/sqsd.cjs, with its dependencies inlined: the
 * container image and the `sqsd` bin carry that file and nothing else (no node_modules).
 */
import { build } from "esbuild";
import { join } from "node:path";
import { packageVersion } from "./version";

export const BUNDLE = join(__dirname, "..", "dist", "sqsd.cjs");

/** Bundle `entry` (default: the sqsd bin) into `outfile`. */
export async function bundle(outfile = BUNDLE, entry = join(__dirname, "bin.ts")): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    // ES module builds first: esbuild can then drop the SDK code the daemon never calls.
    mainFields: ["module", "main"],
    minify: process.env.SQSD_BUNDLE_MINIFY !== "false",
    keepNames: true,
    sourcemap: true,
    legalComments: "none",
    // The version as a constant: the bundle runs where no package.json is (the image).
    define: { SQSD_BUNDLED_VERSION: JSON.stringify(packageVersion()) },
    logLevel: "warning",
  });
  return outfile;
}

if (require.main === module) {
  bundle().then(
    (file) => console.log(`built ${file}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
