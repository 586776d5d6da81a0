import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 32 (issue 9 part 2): a NestJS global prefix read with `config.get('API_PREFIX')` from the files
// `ConfigModule.forRoot({ envFilePath })` names, no --mount: read from a committed one (the first of the list that
// sets it), named with the file it would need when none is in the tree.

describe('migrate --spec: a Nest global prefix from the env files ConfigModule names', () => {
  it("reads the value from envFilePath's committed file and names it", async () => {
    // 96c826f1: "global prefix config.get<string>('API_PREFIX') is computed at run time", both routes unresolved,
    // the mTLS operation "no handler", its 403 manual.
    const { report } = await runSpecProject('spellings-nest-env-files');
    expect(report.coverage.handled.map((h) => h.operation)).toEqual(['GET /partner/payments/{id}']);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.settingDefaults).toEqual([
      {
        setting: "config.get<string>('API_PREFIX')",
        value: 'partner',
        file: 'src/main.ts',
        line: 8,
        from: 'config/app.env',
      },
    ]);
  });

  it('names the envFilePath file missing from the tree', async () => {
    // 96c826f1: "global prefix config.get<string>('API_PREFIX') is computed at run time (src/main.ts:8)".
    const { report } = await runSpecProject('spellings-nest-env-missing');
    expect(report.coverage.handled).toEqual([]);
    expect([...new Set(report.coverage.unresolved.map((u) => u.reason))]).toEqual([
      "global prefix config.get<string>('API_PREFIX') is read from the environment with no value found: ConfigModule.forRoot's envFilePath '.env.production' (src/app.module.ts:7) is not in the scanned tree (commit it, or pass --mount) (src/main.ts:8)",
    ]);
  });
});
