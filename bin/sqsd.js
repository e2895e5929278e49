#!/usr/bin/env node
// The `sqsd` command: runs the bundled daemon (build it with `npm run build:sidecar`).
require("../dist/sqsd.cjs");
