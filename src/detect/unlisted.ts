import { readdirSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';

/** A folder detect could not list, or a link to a configuration file that does not exist. */
export interface Unlisted {
  /** Absolute path (a folder ends without a separator). */
  absolute: string;
  folder: boolean;
  reason: string;
}

/**
 * What a scan of `root` cannot see and the file listing passes over in silence (session 41): a folder it may not
 * list (`EACCES`: every file in it is unknown), and a link named as a configuration file detect reads whose target
 * does not exist (`nginx.conf -> /etc/nginx/nginx.conf` committed from a server, a Kubernetes ConfigMap mount).
 * Before, both read "No mTLS termination found" (`in 0 files` when nothing else was there). `ignored`: folder names
 * not scanned (node_modules, .git, ...); `isConfig`: whether a file name is one detect reads as configuration.
 * Links to folders are not followed.
 */
export function unlistedEntries(
  root: string,
  ignored: readonly string[],
  isConfig: (name: string) => boolean,
): Unlisted[] {
  const out: Unlisted[] = [];
  const walk = (folder: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      out.push({
        absolute: folder,
        folder: true,
        reason: `cannot list the folder (${code}): none of its files is read`,
      });
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!ignored.includes(entry.name)) walk(full);
      } else if (entry.isSymbolicLink() && isConfig(entry.name)) {
        try {
          if (statSync(full, { throwIfNoEntry: false })) continue;
        } catch {
          // a link loop (ELOOP): named as not existing
        }
        let target = '?';
        try {
          target = readlinkSync(full);
        } catch {
          // unreadable link: named with '?'
        }
        out.push({
          absolute: full,
          folder: false,
          reason: `a link to ${target}, which does not exist here, so the configuration it stands for is not read`,
        });
      }
    }
  };
  walk(root);
  return out;
}
