import { describe, expect, it } from 'vitest';
import { takeAlgorithmParam } from './algorithm-param.js';

describe('takeAlgorithmParam', () => {
  it.each([
    ['/', undefined, '/'],
    ['/a?algo=p2c', 'p2c', '/a'],
    ['/a?x=1&algo=ip_hash&y=2', 'ip_hash', '/a?x=1&y=2'],
    ['/a?algorithm=x&algo=p2c', 'p2c', '/a?algorithm=x'],
    ['/a?algo=p2c&algo=random', 'p2c', '/a'],
    ['/a?algo=', '', '/a'],
    ['/a?algo=%ZZ', '%ZZ', '/a'],
    ['/a?algo=round%5Frobin', 'round_robin', '/a'],
    ['/a?x=%20&algo=p2c#frag', 'p2c', '/a?x=%20'],
  ])('%s -> name %s, target %s', (input, name, target) => {
    expect(takeAlgorithmParam(input)).toEqual({ name, target });
  });

  it('leaves a target without algo untouched, byte for byte', () => {
    const target = '/search?q=algo+rithm&algorithmic=1&b=%2F';
    expect(takeAlgorithmParam(target)).toEqual({ name: undefined, target });
  });
});
