#!/usr/bin/env node
// The built CLI (npm run build, which npm ci runs through `prepare`).
import '../out/node/cli.js';
