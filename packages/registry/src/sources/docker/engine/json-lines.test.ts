import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from './json-lines.js';

describe('readJsonLines', () => {
  it('splits values across chunk boundaries, skips garbage, ends once', async () => {
    const stream = new PassThrough();
    const values: unknown[] = [];
    const ends: Error[] = [];
    readJsonLines(
      stream,
      (value) => values.push(value),
      (error) => ends.push(error),
    );
    stream.write('{"Action":"st');
    stream.write('art"}\n\nnot json\n{"Action":"die"}\n{"Act');
    stream.end();
    await new Promise((resolve) => stream.on('close', resolve));
    expect(values).toEqual([{ Action: 'start' }, { Action: 'die' }]);
    expect(ends.map((error) => error.message)).toEqual(['the event stream ended']);
  });

  it('reports a failing stream', () => {
    const stream = new PassThrough();
    const ends: Error[] = [];
    readJsonLines(
      stream,
      () => undefined,
      (error) => ends.push(error),
    );
    stream.destroy(new Error('socket hang up'));
    return new Promise<void>((resolve) =>
      stream.on('close', () => {
        expect(ends.map((error) => error.message)).toEqual(['socket hang up']);
        resolve();
      }),
    );
  });
});
