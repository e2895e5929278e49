#!/usr/bin/env node
// The `sqsd` command: the bundled daemon, dist/sqsd.cjs (the same file the image runs).
"use strict";
require("./check-node").requireSupportedNode("sqsd");
var fs = require("fs");
var path = require("path");

var bundle = path.join(__dirname, "..", "dist", "sqsd.cjs");
if (!fs.existsSync(bundle)) {
  process.stderr.write("sqsd: " + bundle + " is not built: run `npm run build` in " + path.join(__dirname, "..") + "\n");
  process.exit(2);
}
require(bundle);
