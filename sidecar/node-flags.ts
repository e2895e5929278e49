/**
 * Node.js flags the sidecar image starts the daemon with (the Dockerfile's ENTRYPOINT; a
 * test keeps the two equal, and the benchmark and load test run the bundle with them).
 *
 * --max-semi-space-size=2: V8 lets the young generation grow to 3 × 16 MiB under load, a
 * third of the daemon's RSS, for objects that live a millisecond. 2 MiB semi-spaces hold a
 * message's garbage just as well (4 cost 3-6 MiB more at the peak, for no measurable CPU).
 * --no-turbofan: V8's top-tier compiler paged in 5-6 MiB of the node binary and compiled
 * little that mattered: the daemon's time is in sockets and Node's C++, and Maglev (the
 * tier below) served the same throughput at the same CPU (docs/performance.md).
 * --optimize-for-size: V8 trades some speed for memory (smaller code, earlier GC): peak RSS
 * at HttpConnections 50 under load 89 -> 76 MiB, for 10-15 % more CPU per message, which
 * still leaves the daemon well under the Go peer's CPU per message (docs/performance.md).
 */
export const SIDECAR_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2", "--no-turbofan", "--optimize-for-size"];
