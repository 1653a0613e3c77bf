import { describe, expect, it } from 'vitest';
import { AdminToken, tokenFlaw } from './admin-token.js';

describe('AdminToken', () => {
  const token = new AdminToken('s3cret-s3cret-s3cret');

  it('accepts exactly "Bearer <token>", the scheme in any case', () => {
    expect(token.accepts('Bearer s3cret-s3cret-s3cret')).toBe(true);
    expect(token.accepts('bearer s3cret-s3cret-s3cret')).toBe(true);
  });

  it('refuses a missing, different, longer, shorter or differently-schemed credential', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer s3cret-s3cret-s3cre',
      'Bearer s3cret-s3cret-s3cret2',
      'Bearer S3CRET-S3CRET-S3CRET',
      'Basic s3cret-s3cret-s3cret',
      's3cret-s3cret-s3cret',
      'Bearer s3cret-s3cret-s3cret extra',
    ]) {
      expect(token.accepts(header), String(header)).toBe(false);
    }
  });

  it('says what is wrong with a refused token without quoting it', () => {
    expect(tokenFlaw('a'.repeat(16))).toBeUndefined();
    expect(tokenFlaw('!~'.repeat(512))).toBeUndefined();
    expect(tokenFlaw('short')).toBe('this one has 5 characters');
    expect(tokenFlaw('a'.repeat(1025))).toBe('this one has 1025 characters');
    expect(tokenFlaw('correct horse battery staple')).toBe('character 8 is a space');
    expect(tokenFlaw('correct\thorse-battery-staple')).toBe('character 8 is a control character');
    expect(tokenFlaw('ünïcödé-ünïcödé-ünïcödé')).toBe('character 1 is a non-ASCII character');
    expect(tokenFlaw('abc😀defghijklmnopq')).toBe('character 4 is a non-ASCII character'); // counted in characters, not UTF-16 units
  });
});
