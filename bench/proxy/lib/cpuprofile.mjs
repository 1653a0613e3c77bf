// Top self-time functions of a V8 .cpuprofile: hitCount summed per function + url + line.
import { readFileSync } from 'node:fs';

export function topSelfTime(file, limit = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const msPerHit = totalHits ? (profile.endTime - profile.startTime) / 1000 / totalHits : 0;
  const byFunction = new Map();
  for (const { callFrame, hitCount = 0 } of profile.nodes) {
    if (hitCount === 0) continue;
    const where = callFrame.url ? `${callFrame.url}:${callFrame.lineNumber + 1}` : '';
    const key = `${callFrame.functionName || '(anonymous)'}\t${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hitCount);
  }
  const rows = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, hits]) => {
      const [name, where] = key.split('\t');
      return { name, where, hits, ms: hits * msPerHit, share: totalHits ? hits / totalHits : 0 };
    });
  return { totalHits, totalMs: totalHits * msPerHit, rows };
}

export function formatTop({ totalHits, totalMs, rows }, source) {
  const lines = [
    `Top ${rows.length} functions by self time — ${source}`,
    `${totalHits} samples, ${(totalMs / 1000).toFixed(1)} s profiled`,
    '',
    `${'self ms'.padStart(9)} ${'self %'.padStart(7)}  function  (url:line)`,
  ];
  for (const row of rows) {
    const where = row.where ? `  ${row.where.replace(/^file:\/\//, '')}` : '';
    lines.push(`${row.ms.toFixed(0).padStart(9)} ${(row.share * 100).toFixed(1).padStart(6)}%  ${row.name}${where}`);
  }
  return `${lines.join('\n')}\n`;
}
