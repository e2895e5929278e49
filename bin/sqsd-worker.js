#!/usr/bin/env node
// The `sqsd-worker` command (`sqsd-worker local ...`): the compiled CLI in dist/ (an installed
// package always has it); in a checkout without a build, the TypeScript source through tsx.
"use strict";
require("./check-node").requireSupportedNode("sqsd-worker");
var fs = require("fs");
var path = require("path");

var root = path.join(__dirname, "..");
var built = path.join(root, "dist", "local", "cli.js");
if (fs.existsSync(built)) {
  require(built).run();
} else {
  try {
    require.resolve("tsx/cjs");
  } catch (e) {
    process.stderr.write("sqsd-worker: " + built + " is not built: run `npm run build` in " + root + "\n");
    process.exit(2);
  }
  require("tsx/cjs");
  require(path.join(root, "local", "cli.ts")).run();
}
