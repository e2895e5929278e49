/**
 * `npm run build` (also npm's `prepare`, which runs on install in a checkout, on `npm pack` and
 * `npm publish`, and for git installs): dist/ from a clean state, so no stray file is packed.
 *   dist/component, dist/sidecar, dist/local   the library and local mode (tsc, with .d.ts)
 *   dist/sqsd.cjs, dist/sqsd-sdk.cjs           the daemon, and the SDK it loads on demand (the image and `sqsd`)
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { bundle, sdkFileOf } from "../sidecar/build";

const root = join(__dirname, "..");

async function main(): Promise<void> {
  rmSync(join(root, "dist"), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
  // stderr: `npm pack --json` (which runs this as prepare) keeps stdout for its JSON.
  const daemon = await bundle();
  process.stderr.write(`built ${daemon} and ${sdkFileOf(daemon)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
