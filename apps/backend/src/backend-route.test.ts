import { describe, expect, it } from 'vitest';
import { backendRoute } from './backend-route.js';

describe('backendRoute', () => {
  it.each([
    ['/', '/'],
    ['/?x=1', '/'],
    ['/health', '/health'],
    ['/cpu?ms=20', '/cpu'],
    ['/ws', '/ws'],
    ['/cpu/', 'other'],
    ['/users/42', 'other'],
    ['/health/deep', 'other'],
    ['', 'other'],
  ] as const)('names %j as %s', (path, route) => {
    expect(backendRoute(path)).toBe(route);
  });
});
