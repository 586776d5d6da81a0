import { statSync } from 'node:fs';

/**
 * What makes two paths the same file: its device and inode numbers (`stat`, which follows symbolic links), so a
 * file reached as `sub/common.yaml` and as `link/common.yaml` (a symlinked folder), through a symlinked file or
 * through a hard link is one file. A path that cannot be stat'ed is its own identity (`path:` prefix).
 */
export function fileIdentity(absolutePath: string): string {
  try {
    const stats = statSync(absolutePath, { bigint: true });
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return `path:${absolutePath}`;
  }
}
