#!/usr/bin/env node
// The `assay` command: runs the compiled CLI (npm run build creates dist/).
require('../dist/src/cli/main.js');
