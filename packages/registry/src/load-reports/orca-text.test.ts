import { describe, expect, it } from 'vitest';
import { formatLoadReport, MAX_LOAD_REPORT_LENGTH, parseLoadReport } from './orca-text.js';

describe('endpoint-load-metrics (ORCA text)', () => {
  it('writes what it reads back', () => {
    const load = { inFlight: 4, cpuUtilization: 0.3125, applicationUtilization: 0.5, rps: 120.5, eps: 0, latencyMs: 21.25 };
    const header = formatLoadReport(load);
    expect(header).toBe(
      'TEXT cpu_utilization=0.3125, application_utilization=0.5, rps_fractional=120.5, eps=0, named_metrics.rif=4, named_metrics.latency_ms=21.25',
    );
    expect(parseLoadReport(header)).toEqual(load);
  });

  it('reads what Envoy-style backends send, ignoring the fields lbpoc does not use', () => {
    expect(parseLoadReport('TEXT cpu_utilization=0.8, mem_utilization=0.4, named_metrics.queue=3, rps_fractional=10')).toEqual({
      cpuUtilization: 0.8,
      rps: 10,
    });
    expect(parseLoadReport(['TEXT named_metrics.rif=2', 'TEXT named_metrics.rif=9'])).toEqual({ inFlight: 2 });
  });

  it.each([
    ['absent', undefined],
    ['JSON form', '{"cpu_utilization":0.3}'],
    ['no usable field', 'TEXT mem_utilization=0.5'],
    ['negative', 'TEXT cpu_utilization=-1'],
    ['not a number', 'TEXT named_metrics.rif=lots'],
    ['empty value', 'TEXT named_metrics.rif='],
    ['infinite', 'TEXT rps_fractional=Infinity'],
    ['too long', `TEXT cpu_utilization=0.5, ${'x=1, '.repeat(MAX_LOAD_REPORT_LENGTH)}`],
  ])('is not a load report: %s', (_, value) => {
    expect(parseLoadReport(value)).toBeUndefined();
  });

  it('leaves out fields that are absent or not finite when writing', () => {
    expect(formatLoadReport({ inFlight: 1, cpuUtilization: Number.NaN })).toBe('TEXT named_metrics.rif=1');
  });
});
