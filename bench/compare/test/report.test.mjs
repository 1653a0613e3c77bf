import { describe, expect, it } from 'vitest';
import { markdownReport } from '../lib/report-md.mjs';
import { niceMax, svgReport } from '../lib/report-svg.mjs';

const summaries = [
  { algorithm: 'round_robin', requests: 100, rps: 99.5, p50: 20, p95: 160, p99: 300, max: 400, errors: 0, shares: { '127.0.0.1:2': 0.5, '127.0.0.1:1': 0.5 } },
  { algorithm: 'p2c', requests: 100, rps: 100, p50: 8, p95: 40, p99: 120, max: 200, errors: 3, shares: { '127.0.0.1:1': 0.9, '127.0.0.1:2': 0.1 } },
];

describe('markdownReport', () => {
  const md = markdownReport({ summaries, setup: 'S', load: 'L', generated: '2026-01-01', backendNames: { '127.0.0.1:2': 'fast', '127.0.0.1:1': 'slow' } });

  it('has one row per algorithm with throughput, percentiles, errors and backend shares in setup order', () => {
    expect(md).toContain('| algorithm | requests/s | p50 ms | p95 ms | p99 ms | errors | fast share | slow share |');
    expect(md).toContain('| round_robin | 99.5 | 20.0 | 160.0 | 300.0 | 0 | 50.0% | 50.0% |');
    expect(md).toContain('| **p2c** | 100.0 | 8.0 | 40.0 | 120.0 | 3 | 10.0% | 90.0% |');
  });

  it('ranks by p99 and links the chart', () => {
    expect(md).toMatch(/1\. p2c \(120\.0 ms\)\n2\. round_robin \(300\.0 ms\)/);
    expect(md).toContain('](comparison.svg)');
  });
});

describe('svgReport', () => {
  const svg = svgReport(summaries);

  it('is one SVG document with three bars per algorithm, widths in proportion to latency', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    const bars = [...svg.matchAll(/<rect x="170" y="[\d.]+" width="([\d.]+)"[^>]*><title>(\S+) (p\d+) ([\d.]+) ms<\/title>/g)];
    expect(bars).toHaveLength(6);
    const width = (algorithm, key) => Number(bars.find((b) => b[2] === algorithm && b[3] === key)[1]);
    // Axis max is 500 ms over 560 px: 300 ms -> 336 px.
    expect(width('round_robin', 'p99')).toBeCloseTo(336, 0);
    expect(width('p2c', 'p99') / width('round_robin', 'p99')).toBeCloseTo(120 / 300, 2);
  });

  it('escapes names', () => {
    expect(svgReport([{ ...summaries[0], algorithm: '<x&y>' }])).toContain('&lt;x&amp;y&gt;');
  });

  it('rounds the axis to 1, 2 or 5 times a power of ten', () => {
    expect([niceMax(300), niceMax(120), niceMax(0.7), niceMax(1000), niceMax(0)]).toEqual([500, 200, 1, 1000, 1]);
  });
});

describe('markdownReport notes', () => {
  it('says when an algorithm pinned every request to one backend', () => {
    const pinnedRun = { ...summaries[0], algorithm: 'ip_hash', p99: 5, shares: { '127.0.0.1:2': 1 } };
    const md = markdownReport({ summaries: [summaries[1], pinnedRun], setup: 'S', load: 'L', generated: 'd', backendNames: { '127.0.0.1:2': 'fast' } });
    expect(md).toContain('Note: ip_hash sent every request to fast (one client address');
    // Pinned is not "best", even with the lowest p99.
    expect(md).toContain('| **p2c** |');
    expect(md).not.toContain('**ip_hash**');
    expect(markdownReport({ summaries, setup: 'S', load: 'L', generated: 'd' })).not.toContain('Note:');
  });
});
