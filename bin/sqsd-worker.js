#!/usr/bin/env node
// The `sqsd-worker` command (`sqsd-worker local ...`): runs the compiled CLI (npm run build);
// in a checkout without a build, runs the TypeScript source through tsx.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const built = join(__dirname, "..", "dist", "local", "cli.js");
if (existsSync(built)) {
  require(built).run();
} else {
  require("tsx/cjs");
  require("../local/cli.ts").run();
}
