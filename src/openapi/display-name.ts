import path from 'node:path';

/**
 * How a file is named in messages and reports: relative to the working folder when it is under it (`specs/a.yaml`),
 * else absolute; `/`-separated. The working folder itself is `.` (before session 27 it was the empty string, so
 * `fix /abs/cwd` said "mtls-fix: :  is a directory").
 */
export function displayName(cwd: string, file: string): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  const shown =
    relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
  return shown.split(path.sep).join('/');
}
