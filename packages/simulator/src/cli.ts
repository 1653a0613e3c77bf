#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The executable: all logic is in run-cli.ts so that tests can drive it without a process.
process.exitCode = runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
