#!/usr/bin/env node
// The `jakpreneur` command. Runs on the project's pinned Node 24 (npm puts node_modules/.bin first on PATH).
import '../src/cli/index.ts';
