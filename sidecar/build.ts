/**
 * Bundle the daemon, dependencies inlined, into dist/sqsd.cjs, and beside it dist/sqsd-sdk.cjs:
 * the AWS SDK client the daemon loads only for credentials that are neither in the environment
 * nor from ECS (profiles, SSO, web identity, instance metadata). The container image and the
 * `sqsd` bin carry these two files and nothing else (no node_modules).
 *
 * Why two files: V8 compiles the bodies esbuild wraps for lazy loading when it loads the file
 * (a function in parentheses looks immediately invoked to it), so the SDK inside the one file
 * cost 5.8 MiB of idle memory although the daemon never calls it (docs/performance.md).
 */
import { build, type BuildOptions, type Plugin } from "esbuild";
import { basename, join } from "node:path";
import { packageVersion } from "./version";

export const BUNDLE = join(__dirname, "..", "dist", "sqsd.cjs");

/** The package the SDK file holds; the daemon may only load it with import(). */
const SDK_PACKAGE = "@aws-sdk/client-sqs";

/** Where the SDK file of the bundle `outfile` goes: beside it, named after it. */
export function sdkFileOf(outfile: string): string {
  if (!outfile.endsWith(".cjs")) throw new Error(`bundle: ${outfile} must end in .cjs (the daemon is a CommonJS file)`);
  return outfile.replace(/\.cjs$/, "-sdk.cjs");
}

const COMMON: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  // ES module builds first: esbuild can then drop the SDK code the daemon never calls.
  mainFields: ["module", "main"],
  minify: process.env.SQSD_BUNDLE_MINIFY !== "false",
  keepNames: true,
  legalComments: "none",
  logLevel: "warning",
};

/** The daemon's `import("@aws-sdk/client-sqs")` loads the SDK file at run time; a static import would pull the SDK back in, so it fails the build. */
function sdkOutside(sdkFile: string): Plugin {
  return {
    name: "sdk-outside",
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${SDK_PACKAGE.replace("/", "\\/")}$`) }, (args) =>
        args.kind === "dynamic-import"
          ? { path: `./${sdkFile}`, external: true }
          : { errors: [{ text: `${args.importer} imports ${SDK_PACKAGE} statically; load it with import() so it stays in ${sdkFile}, out of the daemon's memory` }] },
      );
    },
  };
}

/** Bundle `entry` (default: the sqsd bin) into `outfile`, and the SDK into sdkFileOf(outfile). */
export async function bundle(outfile = BUNDLE, entry = join(__dirname, "bin.ts")): Promise<string> {
  const sdkFile = sdkFileOf(outfile);
  await Promise.all([
    build({
      ...COMMON,
      entryPoints: [entry],
      outfile,
      sourcemap: true,
      // The version as a constant: the bundle runs where no package.json is (the image).
      define: { SQSD_BUNDLED_VERSION: JSON.stringify(packageVersion()) },
      plugins: [sdkOutside(basename(sdkFile))],
    }),
    build({
      ...COMMON,
      stdin: { contents: `export { SQSClient } from "${SDK_PACKAGE}";`, resolveDir: __dirname, sourcefile: "sdk.ts", loader: "ts" },
      outfile: sdkFile,
    }),
  ]);
  return outfile;
}

if (require.main === module) {
  bundle().then(
    (file) => console.log(`built ${file} and ${sdkFileOf(file)}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
