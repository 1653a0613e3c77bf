/**
 * reports/comparison.svg: grouped horizontal bars, p50 / p95 / p99 per algorithm, on one
 * millisecond axis. Hand-written SVG: no chart library, renders anywhere (GitHub, browsers).
 */
export const SERIES = [
  { key: 'p50', color: '#9ecae1' },
  { key: 'p95', color: '#4292c6' },
  { key: 'p99', color: '#08519c', valueLabel: true },
];
const escapeXml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** A round axis maximum: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= value);
}

export function svgReport(summaries, title = 'Latency by algorithm (ms, lower is better)', series = SERIES) {
  const left = 170;
  const plotWidth = 560;
  const barHeight = 9;
  const groupHeight = series.length * barHeight + 12;
  const top = 50;
  const height = top + summaries.length * groupHeight + 40;
  const width = left + plotWidth + 90;
  const max = niceMax(Math.max(...summaries.flatMap((s) => series.map(({ key }) => s[key]).filter(Number.isFinite))));
  const x = (value) => left + (value / max) * plotWidth;
  const legendStep = Math.max(70, ...series.map(({ key, label }) => 24 + 7 * (label ?? key).length));

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...series.map(
      ({ key, color, label }, i) =>
        `<rect x="${left + i * legendStep}" y="30" width="10" height="10" fill="${color}"/><text x="${left + i * legendStep + 14}" y="39">${escapeXml(label ?? key)}</text>`,
    ),
  ];
  for (let tick = 0; tick <= 5; tick++) {
    const value = (max / 5) * tick;
    parts.push(
      `<line x1="${x(value)}" y1="${top - 4}" x2="${x(value)}" y2="${height - 36}" stroke="#ddd"/>`,
      `<text x="${x(value)}" y="${height - 22}" text-anchor="middle" fill="#555">${Number(value.toPrecision(3))}</text>`,
    );
  }
  summaries.forEach((s, row) => {
    const y = top + row * groupHeight;
    parts.push(`<text x="${left - 8}" y="${y + (series.length * barHeight) / 2 + 4}" text-anchor="end">${escapeXml(s.algorithm)}</text>`);
    series.forEach(({ key, color, label, valueLabel }, i) => {
      const value = s[key];
      if (!Number.isFinite(value)) return;
      parts.push(
        `<rect x="${left}" y="${y + i * barHeight}" width="${Math.max(0.5, x(value) - left).toFixed(1)}" height="${barHeight - 1}" fill="${color}"><title>${escapeXml(s.algorithm)} ${escapeXml(label ?? key)} ${value.toFixed(1)} ms</title></rect>`,
      );
      if (valueLabel)
        parts.push(`<text x="${(x(value) + 4).toFixed(1)}" y="${y + i * barHeight + barHeight - 1}" font-size="10" fill="#333">${value.toFixed(0)}</text>`);
    });
  });
  parts.push(`<text x="${left + plotWidth / 2}" y="${height - 6}" text-anchor="middle" fill="#555">milliseconds</text>`, '</svg>', '');
  return parts.join('\n');
}
