import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared corpus sits beside the checkout, in development and in CI. */
export const CORPUS_DIR = path.resolve(REPO_ROOT, '../shared/corpus/specs');
export const BIN = path.join(REPO_ROOT, 'bin/run.js');
