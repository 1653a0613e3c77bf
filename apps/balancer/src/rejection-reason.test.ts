import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REJECTION_REASONS } from './rejection-reason.js';

describe('rejection reasons', () => {
  it('are exactly the values @lbpoc/metrics documents for lbpoc_rejected_requests_total', () => {
    const readme = readFileSync(new URL('../../../packages/metrics/README.md', import.meta.url), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `reason` (rejected) |'));
    expect(row).toBeDefined();
    // The values are the backticked words before any parenthesis; those inside name variables.
    const documented = [...row!.split('|')[2]!.replace(/\([^)]*\)/g, '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect(documented).toEqual([...REJECTION_REASONS]);
  });
});
