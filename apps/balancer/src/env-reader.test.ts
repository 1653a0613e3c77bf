import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { EnvReader } from './env-reader.js';

const SECRET = 'hunter2-hunter2-hunter2';
const noSpaces = (value: string) => (value.includes(' ') ? `character ${value.indexOf(' ') + 1} is a space` : undefined);

describe('EnvReader', () => {
  it('puts a bad value, quoted, in the problem and the start-up message', () => {
    const read = new EnvReader({ PORT: 'x' });
    read.integer('PORT', 5000, 0, 65535);
    expect(read.problems).toEqual([{ variable: 'PORT', value: 'x', allowed: 'an integer from 0 to 65535 (default 5000)' }]);
    expect(new ConfigError(read.problems).message).toBe('PORT="x" is not valid: an integer from 0 to 65535 (default 5000)');
  });

  it('returns an accepted secret, trimmed, and undefined when unset or blank', () => {
    expect(new EnvReader({ TOKEN: `  ${SECRET}\n` }).secret('TOKEN', 'no spaces', noSpaces)).toBe(SECRET);
    expect(new EnvReader({}).secret('TOKEN', 'no spaces', noSpaces)).toBeUndefined();
    expect(new EnvReader({ TOKEN: '   ' }).secret('TOKEN', 'no spaces', noSpaces)).toBeUndefined();
  });

  it('reports a refused secret by what is wrong with it, never by its value', () => {
    const bad = `${SECRET} ${SECRET}`;
    const read = new EnvReader({ TOKEN: bad, PORT: 'x' });
    expect(read.secret('TOKEN', 'no spaces', noSpaces)).toBeUndefined();
    read.integer('PORT', 5000, 0, 65535);
    expect(read.problems[0]).toEqual({ variable: 'TOKEN', value: '', secret: true, allowed: 'no spaces; character 24 is a space' });
    const { message } = new ConfigError(read.problems);
    expect(message).toBe('TOKEN=(secret, not shown) is not valid: no spaces; character 24 is a space\nPORT="x" is not valid: an integer from 0 to 65535 (default 5000)');
    expect(message).not.toContain('hunter');
    expect(JSON.stringify(read.problems)).not.toContain('hunter');
  });

  it('keeps a secret out of any later problem about the same variable', () => {
    const read = new EnvReader({ TOKEN: SECRET });
    expect(read.secret('TOKEN', 'no spaces', noSpaces)).toBe(SECRET);
    read.problem('TOKEN', 'not together with OTHER');
    expect(read.problems).toEqual([{ variable: 'TOKEN', value: '', secret: true, allowed: 'not together with OTHER' }]);
    expect(new ConfigError(read.problems).message).not.toContain('hunter');
  });
});
