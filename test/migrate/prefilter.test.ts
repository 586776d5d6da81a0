import { describe, expect, it } from 'vitest';
import { mayHoldSite } from '../../src/migrate/prefilter.js';

describe('mayHoldSite', () => {
  it.each([
    ['Encore.ts', "throw APIError.permissionDenied('admins only');"],
    ['Encore.ts ErrCode', 'new APIError(ErrCode.PermissionDenied, m)'],
    ['gRPC', 'callback({ code: status.PERMISSION_DENIED })'],
    ['Connect', 'new ConnectError(m, Code.PermissionDenied)'],
    ['Oak', 'ctx.throw(Status.Forbidden)'],
    ['Adonis', 'response.forbidden()'],
    ['number', 'res.status(403)'],
  ])('parses a file holding %s', (_name, text) => {
    expect(mayHoldSite(text)).toBe(true);
  });

  it.each([
    ['no status', 'res.status(200)'],
    ['a longer number', 'const port = 4030;'],
  ])('skips a file with %s', (_name, text) => {
    expect(mayHoldSite(text)).toBe(false);
  });
});
