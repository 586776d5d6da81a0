import type { LintResult } from '../types.js';

/** Spectral's JSON shape, plus `operation` and `mtls` on our findings. */
export function formatJson(results: readonly LintResult[]): string {
  return JSON.stringify(
    results.map(({ code, message, path, severity, source, range, operation, mtls }) => ({
      code,
      message,
      path,
      severity,
      source,
      range,
      ...(operation ? { operation } : {}),
      ...(mtls ? { mtls } : {}),
    })),
    null,
    2,
  );
}
