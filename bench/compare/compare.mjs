#!/usr/bin/env node
/**
 * pnpm compare: the same bounded load through the balancer with each algorithm in turn,
 * written up as <out>/comparison.md (table) and <out>/comparison.svg (chart).
 *
 *   pnpm compare                                   # starts the demo setup (one slow backend)
 *   pnpm compare -- --target http://127.0.0.1:5000/ --requests 1000
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO_BACKENDS, startLocalStack } from '../../test-support/local-stack.js';
import { runLoad } from './lib/load.mjs';
import { parseOptions, USAGE } from './lib/options.mjs';
import { markdownReport } from './lib/report-md.mjs';
import { svgReport } from './lib/report-svg.mjs';
import { summarize } from './lib/stats.mjs';

let options;
try {
  options = parseOptions(process.argv.slice(2).filter((arg) => arg !== '--'));
} catch (error) {
  process.stderr.write(`compare: ${error.message}\n${USAGE}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

// pnpm runs root scripts from the repository root; a relative --out is taken from where
// the command was typed (INIT_CWD), as a user expects.
const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
// The demo setup on free ports of 127.0.0.1. All the load comes from this one address, with
// up to --concurrency connections: no per-client connection cap.
const setup = options.target ? undefined : await startLocalStack({ backends: DEMO_BACKENDS, balancerEnv: { MAX_CONNECTIONS_PER_CLIENT: '0' } });
const target = options.target ?? `${setup.balancer.url}/`;
const backendNames = Object.fromEntries((setup?.backends ?? []).map((b) => [b.address, b.id]));
const stopSetup = async () => {
  await setup?.stop();
};
process.on('SIGINT', () => stopSetup().then(() => process.exit(130)));

const summaries = [];
try {
  // A bound on each run even if the target stalls: twice the planned time, plus 10 s.
  const maxSeconds = (options.requests / options.rate) * 2 + 10;
  for (const algorithm of options.algorithms) {
    const run = await runLoad(target, algorithm, { requests: options.requests, rate: options.rate, concurrency: options.concurrency, maxSeconds });
    const summary = summarize({ algorithm, ...run });
    summaries.push(summary);
    process.stdout.write(
      `${algorithm.padEnd(22)} ${summary.rps.toFixed(1).padStart(7)} req/s  p50 ${summary.p50.toFixed(1).padStart(6)}  p95 ${summary.p95.toFixed(1).padStart(6)}  p99 ${summary.p99.toFixed(1).padStart(6)} ms  errors ${summary.errors}\n`,
    );
    // Let the last slow answers drain so the next algorithm starts from an idle balancer.
    await new Promise((done) => setTimeout(done, 1000));
  }
} finally {
  await stopSetup();
}

const setupText = options.target
  ? `the balancer at ${options.target}`
  : `the demo setup on 127.0.0.1 (scripts/demo.mjs): ${DEMO_BACKENDS.map((b) => `${b.id} (SIMULATED_DELAY ${b.delay} ms, weight ${b.weight})`).join(', ')}, the balancer in front`;
const loadText = `${options.requests} GET requests per algorithm at ${options.rate} requests/s (open loop, at most ${options.concurrency} in flight), algorithms in turn via ?algo=`;
mkdirSync(outDir, { recursive: true });
writeFileSync(
  `${outDir}/comparison.md`,
  markdownReport({ summaries, setup: setupText, load: loadText, generated: new Date().toISOString().slice(0, 10), backendNames }),
);
writeFileSync(`${outDir}/comparison.svg`, svgReport(summaries));
process.stdout.write(`wrote ${outDir}/comparison.md and ${outDir}/comparison.svg\n`);
