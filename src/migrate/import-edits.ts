import type { ts } from 'ts-morph';
import type { FileAnalysis } from './analysis.js';
import type { Edit, ImportNeed } from './types.js';

/**
 * The three ways to fix the named import of `from` when its uses become `to`; the planner picks one.
 * Undefined when `from` is not a plain named import (namespace forms need no import change).
 */
export function importNeed(analysis: FileAnalysis, from: string, to: string): ImportNeed | undefined {
  const binding = analysis.imports.get(from);
  const list = binding?.namedImports;
  if (!binding || !list || binding.name !== from) return undefined;
  const sf = analysis.sourceFile;
  const text = analysis.text;
  const elements = list.elements;
  const index = elements.findIndex((e) => e.name.text === from);
  const element = elements[index];
  const last = elements[elements.length - 1];
  // Separator between specifiers as the file writes it: ", " on one line, ",\n    " in a multi-line list.
  const previous = elements[elements.length - 2];
  const separator = previous ? text.slice(previous.getEnd(), last.getStart(sf)) : ', ';
  const add: Edit = elements.hasTrailingComma
    ? { start: last.getEnd() + 1, end: last.getEnd() + 1, text: `${separator.slice(1)}${to},` }
    : {
        start: last.getEnd(),
        end: last.getEnd(),
        text: `${separator.startsWith(',') ? separator : ', '}${to}`,
      };
  return {
    module: binding.module,
    from,
    to,
    present: elements.some((e) => e.name.text === to && !e.propertyName),
    rename: { start: element.getStart(sf), end: element.getEnd(), text: to },
    add,
    remove: removalEdit(elements, index, sf, text),
  };
}

function removalEdit(
  elements: ts.NodeArray<ts.ImportSpecifier>,
  index: number,
  sf: ts.SourceFile,
  text: string,
): Edit {
  const element = elements[index];
  const next = elements[index + 1];
  if (next) return { start: element.getStart(sf), end: next.getStart(sf), text: '' };
  const previous = elements[index - 1];
  if (previous)
    return {
      start: previous.getEnd(),
      end: element.getEnd() + (elements.hasTrailingComma ? 0 : 0),
      text: '',
    };
  // The only specifier: keep the import (its module may have side effects) and leave the list as is.
  return {
    start: element.getStart(sf),
    end: element.getEnd(),
    text: text.slice(element.getStart(sf), element.getEnd()),
  };
}

/**
 * Import edits for one file: `from` keeps its specifier while any use outside the rewritten tokens
 * remains (another, non-mTLS handler may still throw it); otherwise it is renamed or dropped.
 */
export function planImportEdits(text: string, needs: readonly ImportNeed[], edits: readonly Edit[]): Edit[] {
  const result: Edit[] = [];
  const seen = new Set<string>();
  for (const need of needs) {
    const key = `${need.module}:${need.from}:${need.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pattern = new RegExp(`(?<![\\w$.])${need.from}(?![\\w$])`, 'g');
    let uses = 0;
    for (const match of text.matchAll(pattern)) {
      const at = match.index;
      const rewritten = edits.some((e) => e.start <= at && at < e.end);
      const inImport = need.rename.start <= at && at < need.rename.end;
      if (!rewritten && !inImport) uses++;
    }
    if (uses > 0) {
      if (!need.present) result.push(need.add);
    } else {
      result.push(need.present ? need.remove : need.rename);
    }
  }
  return result;
}
