import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDocument, DocumentSet, lint, MtlsFixError, resolveConfig } from '../src/index.js';
import { REPO_ROOT } from './helpers/paths.js';

const EXAMPLE = path.join(REPO_ROOT, 'examples/openapi.yaml');

describe('programmatic API', () => {
  it('lint() returns results and never prints', async () => {
    const report = await lint({ files: [EXAMPLE], config: resolveConfig({}) });
    expect(report.files).toEqual([EXAMPLE]);
    expect(report.results.map((result) => result.code)).toEqual(['mtls-no-403', 'mtls-4xx-range']);
  });

  it('analyzeDocument() classifies every operation with its why', () => {
    const analysis = analyzeDocument(DocumentSet.load(EXAMPLE), resolveConfig({}).mtls);
    expect(
      analysis.operations.map(({ operation, mtls }) => [
        `${operation.method} ${operation.path}`,
        mtls?.via ?? null,
      ]),
    ).toEqual([
      ['GET /accounts/{id}', 'scheme'],
      ['GET /accounts/{id}/statements', 'scheme'],
      ['GET /status', null],
    ]);
  });

  it('input errors are MtlsFixError with a location, and an mtls-fix-input result', async () => {
    const report = await lint({ files: ['missing.yaml'], config: resolveConfig({}), cwd: REPO_ROOT });
    const [error] = report.inputErrors;
    expect(error).toBeInstanceOf(MtlsFixError);
    expect(error.toLine()).toBe('missing.yaml: file not found. Check the path and permissions.');
    expect(report.results.map((result) => [result.code, result.severity])).toEqual([['mtls-fix-input', 0]]);
  });
});
