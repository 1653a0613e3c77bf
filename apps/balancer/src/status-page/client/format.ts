/** Milliseconds as a person reads them: 0.42 ms, 4.2 ms, 123 ms, 1.23 s. */
export function ms(value: number | null): string {
  if (value === null) return '—';
  if (value === 0) return '0';
  if (value < 1) return `${value.toFixed(2)} ms`;
  if (value < 10) return `${value.toFixed(1)} ms`;
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(2)} s`;
}

export function rate(value: number): string {
  if (value === 0) return '0';
  if (value < 10) return value.toFixed(1);
  return String(Math.round(value));
}

export function percent(value: number | null): string {
  if (value === null) return '—';
  if (value === 0) return '0%';
  if (value < 0.001) return '<0.1%';
  return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
}

export function weight(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function load(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function clock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function seconds(value: number): string {
  if (value < 1) return '<1 s';
  if (value < 120) return `${Math.round(value)} s`;
  return `${Math.round(value / 60)} min`;
}
