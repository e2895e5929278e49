/**
 * Bundle the daemon into one file, dist/sqsd.cjs, with its dependencies inlined: the
 * container image and the `sqsd` bin carry that file and nothing else (no node_modules).
 */
import { build } from "esbuild";
import { join } from "node:path";

export const BUNDLE = join(__dirname, "..", "dist", "sqsd.cjs");

export async function bundle(outfile = BUNDLE): Promise<string> {
  await build({
    entryPoints: [join(__dirname, "bin.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    keepNames: true,
    sourcemap: true,
    legalComments: "none",
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
