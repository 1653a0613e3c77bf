import { describe, expect, it } from 'vitest';
import { isDockerName } from './docker-name.js';

describe('isDockerName', () => {
  it.each(['a', 'web', 'lbpoc_backend-3', 'my.net', '0day', 'x'.repeat(128)])('accepts %j', (name) => {
    expect(isDockerName(name)).toBe(true);
  });

  it.each(['', '-web', '.net', '_x', 'web pool', 'wéb', 'a/b', 'x'.repeat(129), 'web\n'])('refuses %j', (name) => {
    expect(isDockerName(name)).toBe(false);
  });
});
