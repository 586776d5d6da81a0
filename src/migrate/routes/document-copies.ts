import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type ts from '../../typescript.cjs';
import { lineOf, type Project, type ProjectFile } from './project.js';

export type { DocumentCopy } from './project.js';

/**
 * Notes, on `project.documentCopies`, the choice among a document path's readings (`candidates`, absolute, in
 * the order DirEvaluator `candidates` gives them; the first that is a file is the one read) when another reading
 * is a file too and its bytes differ: the report names which was read. Byte-identical copies are not noted.
 */
export function noteDocumentCopy(
  project: Project,
  file: ProjectFile,
  expression: ts.Node,
  candidates: readonly string[],
): void {
  const files = candidates.filter(isFile);
  const [read, ...others] = files;
  if (!read) return;
  const other = others.find((o) => !sameBytes(read, o));
  if (!other) return;
  const name = (f: string): string => path.relative(project.cwd, f).split(path.sep).join('/') || f;
  const key = `${file.relative}:${expression.getStart(file.sourceFile)}`;
  if (!project.documentCopies.has(key))
    project.documentCopies.set(key, {
      read: name(read),
      other: name(other),
      file: file.relative,
      line: lineOf(file, expression),
    });
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function sameBytes(a: string, b: string): boolean {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}
