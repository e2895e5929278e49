// Node.js version gate shared by every entry point (bins, npm start/test/build). Plain,
// old-syntax CommonJS on purpose: it must run, and explain itself, on the Node.js it rejects.
// The floor is package.json's engines.node, so there is one place to change it.
"use strict";
var path = require("path");

var range = require(path.join(__dirname, "..", "package.json")).engines.node; // ">=22.13.0"
var floor = range.replace(/^>=\s*/, "");

function parts(v) {
  return v.split(".").map(function (n) {
    return parseInt(n, 10) || 0;
  });
}

/** Whether version `found` (e.g. "20.20.2") is at least `floor`. */
function atLeast(found, min) {
  var a = parts(found);
  var b = parts(min);
  for (var i = 0; i < 3; i++) {
    if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
  }
  return true;
}

/** Exit 1 with one line naming the needed and the found version when this Node is too old. */
function requireSupportedNode(command) {
  var found = process.versions.node;
  if (atLeast(found, floor)) return;
  process.stderr.write(
    command + ": needs Node.js " + floor + " or later (24 LTS recommended); this is Node.js " + found + " (" + process.execPath + ")\n",
  );
  process.exit(1);
}

module.exports = { requireSupportedNode: requireSupportedNode, atLeast: atLeast, floor: floor };

// `node bin/check-node.js [name]`: the gate of the npm scripts.
if (require.main === module) requireSupportedNode(process.argv[2] || "sqsd-worker");
