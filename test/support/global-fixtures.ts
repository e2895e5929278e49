/**
 * Mocha global fixtures: shared servers are started lazily by the suites that need them
 * (see sqs-server.ts) and stopped here once every test has run.
 */
const teardowns: Array<() => Promise<void>> = [];

/** Register a cleanup to run after the whole test run. */
export function atTeardown(fn: () => Promise<void>): void {
  teardowns.push(fn);
}

export async function mochaGlobalTeardown(): Promise<void> {
  for (const fn of teardowns.splice(0).reverse()) {
    await fn().catch((err: unknown) => console.error("teardown failed:", err));
  }
}
