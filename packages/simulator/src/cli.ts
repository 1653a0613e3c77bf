#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The executable: all logic is in run-cli.ts so that tests can drive it without a process.
// Relative --algorithm-module paths start where the command was typed: under `pnpm sim` or
// `npm exec`, the script runs elsewhere and the package manager keeps that place in INIT_CWD.
// No top-level await: the same entry is also built as CommonJS (dist/cli.cjs).
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, { cwd: process.env.INIT_CWD ?? process.cwd() }).then((code) => {
  process.exitCode = code;
});
