/**
 * The one entry point of the `sqsd` command: `tsx sidecar/bin.ts` from source, and the bundle
 * dist/sqsd.cjs (the image's ENTRYPOINT, the `sqsd` bin) built from it.
 */
import { run } from "./main";

run();
