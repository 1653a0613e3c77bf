import { describe, expect, it } from 'vitest';
import { AdminToken } from './admin-token.js';

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
});
