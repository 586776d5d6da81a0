import { readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/** The names of code files the tree-wide source checks read (docstrings, line counting). */
const CODE_FILE = /\.(?:[cm]?ts|mjs)$/;

/** Every code file below `folder` (repository-relative, `/`-separated, sorted). */
export function codeFiles(folder: string): string[] {
  const entries = readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' });
  return entries
    .filter((entry) => CODE_FILE.test(entry))
    .map((entry) => `${folder}/${entry.split(path.sep).join('/')}`)
    .sort();
}
