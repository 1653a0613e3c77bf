// SOAK.md: the figures and the verdict of a run, written so a reader can judge it without
// re-running anything.
import { writeFileSync } from 'node:fs';

const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const mibOrDash = (bytes) => (Number.isFinite(bytes) ? `${mib(bytes)} MiB` : '—');
const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');

export function writeReport(path, result) {
  const { options, load, memory, events, verdict, machine } = result;
  const failures = Object.entries(load.failures);
  const lines = [
    '# Soak test',
    '',
    `_Written by \`pnpm soak\` (scripts/soak/); ${result.startedAt}. Edit the script, not this file._`,
    '',
    `**Verdict: ${verdict.ok ? 'PASS' : 'FAIL'}** — ${verdict.reasons.length === 0 ? `zero failed requests, RSS ${memory.growth >= 0 ? '+' : ''}${(memory.growth * 100).toFixed(1)}% last quarter over first (bound: ${(memory.maxGrowth * 100).toFixed(0)}%), restart and burst lost nothing` : verdict.reasons.join('; ')}.`,
    '',
    '## Setup',
    '',
    `- ${machine}.`,
    `- Three demo backends (apps/backend, bundled): ${result.backends.map((b) => `${b.id} (delay ${b.delay} ms, weight ${b.weight})`).join(', ')}; the balancer (apps/balancer/dist/main.js) in front, default settings, on 127.0.0.1.`,
    `- Open-loop load: ${options.rps} requests/s for ${(options.durationS / 60).toFixed(1)} min, GET \`/?algo=<each algorithm in turn>\`, keep-alive client; a request fails on any status but 200, a connection error or no answer in 15 s.`,
    options.nodeFlags.length === 0
      ? "- The balancer runs with V8's default heap settings."
      : `- The balancer runs as deployed (\`apps/balancer/node-flags.json\`, as in its Dockerfile) with its young generation starting at the deployed maximum: \`node ${options.nodeFlags.join(' ')} apps/balancer/dist/main.js\`. Otherwise V8 doubles the young generation (1, 2, 4, 8 MiB per semi-space) whenever enough objects have survived, at times that depend on the load's history, and each step shows in RSS (measured: +8 MiB young generation, +12 MiB RSS, heap used level): bounded, not a leak, but it would decide a 30-minute comparison by chance. \`SOAK_NODE_FLAGS\` replaces the flags.`,
    `- Warm-up (the first ${options.warmupS.toFixed(0)} s) includes ${options.burstRps} requests/s for ${options.burstS.toFixed(0)} s from ${events.warmupBurst.atS.toFixed(0)} s, so that the balancer has seen peak load (sockets, buffers, heap) before the first quarter is measured.`,
    `- At ${events.restart.atS.toFixed(0)} s: the "${events.restart.backend}" backend is stopped with SIGTERM (graceful drain) and started again on the same port (down ${events.restart.downMs} ms, exit code ${events.restart.exitCode}).`,
    `- At ${events.burst.atS.toFixed(0)} s: ${options.burstRps} requests/s for ${options.burstS.toFixed(0)} s.`,
    `- Balancer RSS (VmRSS) sampled every ${options.sampleMs / 1000} s; after the warm-up the run is cut into quarters; the mean RSS of the last must be less than ${(options.maxGrowth * 100).toFixed(0)}% above the first.`,
    '',
    '## Requests',
    '',
    '| sent | ok | failed | mean rate (burst included) | p50 | p99 | p99 in burst | retries by the balancer |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${load.sent} | ${load.ok} | ${load.failed} | ${(load.sent / options.durationS).toFixed(1)}/s | ${ms(load.p50)} | ${ms(load.p99)} | ${ms(load.burstP99)} | ${result.retries} |`,
    '',
    failures.length === 0 ? 'No failures.' : `Failures: ${failures.map(([reason, n]) => `${reason} × ${n}`).join(', ')}.`,
    '',
    '## Memory (balancer RSS)',
    '',
    '| quarter | from | to | RSS samples | mean RSS | mean V8 heap used | mean V8 heap size | mean V8 young generation |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...memory.quarters.map(
      (q, i) =>
        `| Q${i + 1} | ${q.fromS.toFixed(0)} s | ${q.toS.toFixed(0)} s | ${q.samples} | ${mib(q.meanBytes)} MiB | ${mibOrDash(result.heap?.[i]?.meanUsedBytes)} | ${mibOrDash(result.heap?.[i]?.meanTotalBytes)} | ${mibOrDash(result.heap?.[i]?.meanNewSpaceBytes)} |`,
    ),
    '',
    'RSS decides the verdict. The heap columns come from the balancer\'s own `/metrics`, scraped every 15 s as Prometheus would, without forcing a collection, so "heap used" includes garbage not yet collected. Heap size rising while the young generation stays fixed is V8 letting old space grow towards its next full collection; retained objects (a leak) show as heap used after a full collection climbing with the number of requests, which needs `--expose-gc` and is not measured here.',
    '',
    memory.growth === undefined
      ? `Memory verdict: ${memory.reason}.`
      : `Last quarter over first: **${(memory.growth * 100).toFixed(1)}%** (allowed: < ${(memory.maxGrowth * 100).toFixed(0)}%). RSS over the whole run: min ${mib(result.rss.min)} MiB, max ${mib(result.rss.max)} MiB.`,
    '',
  ];
  writeFileSync(path, lines.join('\n'));
}
