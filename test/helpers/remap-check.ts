import { rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { migrate } from '../../src/migrate/index.js';
import type { MigrateReport } from '../../src/migrate/types.js';
import { tempProject } from './cli.js';

/**
 * `migrate --check` at 401 over a temp project holding `files` (text by `/`-separated relative path), for the
 * remap tests (remaps-covered.ts); each project is removed after the test that made it (an `afterEach` hook
 * registered here: call it at the test file's top level).
 */
export function checkRunner(): (files: Record<string, string>) => Promise<MigrateReport> {
  const temps: string[] = [];
  afterEach(() => {
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return async (files) => {
    const cwd = tempProject(files);
    temps.push(cwd);
    const { report } = await migrate({ cwd, status: 401, mode: 'check' });
    return report;
  };
}

/** The report's covered sites (`ignored`), each as `file:line reason`. */
export const covered = (report: MigrateReport): string[] =>
  report.sites.filter((s) => s.action === 'ignored').map((s) => `${s.file}:${s.line} ${s.reason ?? ''}`);

/** The report's manual sites, each as `file:line reason`. */
export const manual = (report: MigrateReport): string[] =>
  report.sites.filter((s) => s.action === 'manual').map((s) => `${s.file}:${s.line} ${s.reason ?? ''}`);
