import { describe, expect, it } from 'vitest';
import { STATUS_CLASSES, statusClass } from './status-class.js';

describe('statusClass', () => {
  it.each([
    [101, '1xx'],
    [200, '2xx'],
    [204, '2xx'],
    [299, '2xx'],
    [301, '3xx'],
    [304, '3xx'],
    [400, '4xx'],
    [404, '4xx'],
    [429, '4xx'],
    [500, '5xx'],
    [502, '5xx'],
    [503, '5xx'],
    [599, '5xx'],
  ] as const)('maps %i to %s', (code, expected) => {
    expect(statusClass(code)).toBe(expected);
  });

  it.each([undefined, null, 0, 99, 600, 1000, -200, 200.5, Number.NaN, Number.POSITIVE_INFINITY])('maps %s (no usable response) to error', (code) => {
    expect(statusClass(code)).toBe('error');
  });

  it('only ever returns one of STATUS_CLASSES', () => {
    for (let code = -5; code < 700; code++) expect(STATUS_CLASSES).toContain(statusClass(code));
  });
});
