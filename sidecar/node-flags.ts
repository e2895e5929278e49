/**
 * Node.js flags the sidecar image starts the daemon with (the Dockerfile's ENTRYPOINT; a
 * test keeps the two equal, and the benchmark and load test run the bundle with them).
 *
 * --max-semi-space-size: V8 lets the young generation grow to 3 × 16 MiB under load, a
 * third of the daemon's RSS, for objects that live a millisecond. A few MiB hold a
 * message's garbage just as well; the extra scavenges cost little (docs/performance.md).
 */
export const SIDECAR_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4"];
