import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 37 (trials37): `const FastifyMetrics = FastifyMetricsModule.default` (ESM code naming a CommonJS
// package's default, hirosystems/stacks-blockchain-api) is a package's plugin, not one of the project that could
// not be read. The same spelling over a project module is still read.

describe('migrate --spec: a package plugin held by a name', () => {
  it('is not named "a plugin mtls-fix cannot read"; a project module held the same way is read', async () => {
    const { report } = await runSpecProject('spellings-package-plugin-aliases', {
      args: ['--mtls-everywhere'],
    });
    expect(report.coverage.handled.map((h) => `${h.operation} <- ${h.routes[0]?.file}`)).toEqual([
      'GET /v1/accounts/{id} <- src/accounts.js',
    ]);
    // 55949e84: "registration of FastifyMetrics at src/app.js:14 loads a plugin mtls-fix cannot read", and Cors's.
    expect(report.coverage.unresolved).toEqual([]);
  });
});
