/**
 * Checks that need something from outside npm (the pulumi CLI and sdkgen built by
 * .ci/pulumi-cli.sh, Python with Flask or the pulumi package, an old Node.js, an emulator the
 * tests can restart) skip, with the reason printed, only outside CI. Under CI=true the missing
 * part fails the check, so CI never reports such a check as passed by skipping it.
 */
import type { Context } from "mocha";

/** True when running under CI (.ci/run exports CI=true). */
export const underCi = (): boolean => process.env.CI === "true";

/**
 * Called when `missing` is not available: skips the test (or, from a `before` hook, the suite)
 * outside CI; throws under CI=true. `provision` says how .ci/run (or the developer) provides it.
 */
export function requireOrSkip(ctx: Context, missing: string, provision: string): never {
  if (underCi()) throw new Error(`CI=true and ${missing}: ${provision}. Under CI this check must run, not skip.`);
  console.log(`      skipped: ${missing} (${provision})`);
  return ctx.skip();
}
