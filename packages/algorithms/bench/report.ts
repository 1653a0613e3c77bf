import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AllocationCheck } from './allocations.js';
import { PICKS_PER_BATCH } from './setup.js';

export interface PickRate {
  algorithm: string;
  servers: number;
  picksPerSecond: number;
  allocation: AllocationCheck;
}

/** The issue's goals, checked here and printed in the report (never asserted in tests). */
const GOALS: { algorithms: string[]; servers: number; picksPerSecond: number }[] = [
  { algorithms: ['round_robin', 'ip_hash', 'p2c'], servers: 1000, picksPerSecond: 5e6 },
  { algorithms: ['*'], servers: 100, picksPerSecond: 1e6 },
];

const OUTPUT = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

export function writeBenchmarksMarkdown(rates: PickRate[]): void {
  if (rates.length === 0) return;
  const sizes = [...new Set(rates.map((r) => r.servers))];
  const algorithms = [...new Set(rates.map((r) => r.algorithm))];
  const rate = (algorithm: string, servers: number) => rates.find((r) => r.algorithm === algorithm && r.servers === servers);
  const millions = (value: number | undefined) => (value === undefined ? 'n/a' : (value / 1e6).toFixed(2));

  const table = [
    `| algorithm | ${sizes.map((n) => `${n} servers (M picks/s)`).join(' | ')} |`,
    `| --- | ${sizes.map(() => '---:').join(' | ')} |`,
    ...algorithms.map((a) => `| \`${a}\` | ${sizes.map((n) => millions(rate(a, n)?.picksPerSecond)).join(' | ')} |`),
  ];
  const goalLines = GOALS.flatMap((goal) =>
    (goal.algorithms[0] === '*' ? algorithms : goal.algorithms).map((a) => {
      const measured = rate(a, goal.servers)?.picksPerSecond;
      const met = measured !== undefined && measured >= goal.picksPerSecond;
      return `| \`${a}\` at ${goal.servers} | >= ${millions(goal.picksPerSecond)} M/s | ${millions(measured)} M/s | ${met ? 'met' : '**missed**'} |`;
    }),
  );

  const markdown = `# @lbpoc/algorithms: speed of a pick

Written by \`pnpm --filter @lbpoc/algorithms bench\` (a vitest benchmark, \`bench/pick.bench.ts\`);
do not edit by hand. Each timed iteration makes ${PICKS_PER_BATCH} picks over servers with mixed
weights and in-flight counts (\`ip_hash\` cycles through 1024 client addresses), so the
timer's own cost is amortised. Figures are means over about 0.6 s per cell.

Machine: ${machine()}

${table.join('\n')}

## Goals

| goal | wanted | measured | |
| --- | ---: | ---: | --- |
${goalLines.join('\n')}

## Allocation on the hot path

${allocationSection(rates, sizes, algorithms)}
`;
  writeFileSync(OUTPUT, markdown);
  console.log(`wrote ${OUTPUT}`);
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, ${new Date().toISOString().slice(0, 10)}`;
}

function allocationSection(rates: PickRate[], sizes: number[], algorithms: string[]): string {
  const cell = (a: string, n: number) => {
    const check = rates.find((r) => r.algorithm === a && r.servers === n)?.allocation;
    return check === undefined ? 'n/a' : `${check.collections} GCs, ${(check.heapDeltaBytes / check.picks).toFixed(3)} B/pick`;
  };
  return `Heap growth per pick over ${(rates[0]?.allocation.picks ?? 0).toLocaleString('en')} picks after warm-up, and the garbage
collections seen meanwhile (\`bench/allocations.ts\`). A pick that allocated anything (a
boxed number is 8-16 bytes) shows whole bytes per pick here; well under 1 B/pick means the
hot path allocates nothing.

| algorithm | ${sizes.map((n) => `${n} servers`).join(' | ')} |
| --- | ${sizes.map(() => '---').join(' | ')} |
${algorithms.map((a) => `| \`${a}\` | ${sizes.map((n) => cell(a, n)).join(' | ')} |`).join('\n')}`;
}
