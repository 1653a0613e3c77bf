import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
const flags = JSON.parse(read('node-flags.json')) as string[];

/** node-flags.json is how the balancer is meant to run; every launcher must agree with it. */
describe('node flags', () => {
  it('are used by the image and by `pnpm start`', () => {
    expect(flags.length).toBeGreaterThan(0);
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))![1]!;
    expect(JSON.parse(cmd)).toEqual(['node', ...flags, '/app/main.js']);
    expect((JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start).toBe(`node ${flags.join(' ')} dist/main.js`);
  });
});
