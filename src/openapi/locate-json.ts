import { pathKey, prefixKeys } from './locate-yaml.js';
import type { JsonPath } from './pointer.js';
import type { Range } from './range.js';

/**
 * Finds where the wanted paths (and their prefixes) sit in a JSON text with one tokenizing pass.
 * The text is known to parse (JSON.parse ran first), so the scanner can be lenient.
 */
export function locateInJson(text: string, wanted: readonly JsonPath[]): Map<string, Range> {
  const wantedKeys = prefixKeys(wanted);
  const found = new Map<string, Range>();
  // One frame per open container: its path, whether it is an array, the next index or pending key.
  const frames: { path: string[]; array: boolean; index: number; key: string | null }[] = [];
  let line = 0;
  let lineStart = 0;

  const record = (path: string[], start: number, end: number): void => {
    const key = pathKey(path);
    if (wantedKeys.has(key) && !found.has(key)) {
      found.set(key, {
        start: { line, character: start - lineStart },
        end: { line, character: end - lineStart },
      });
    }
  };
  const childPath = (): string[] | undefined => {
    const frame = frames[frames.length - 1];
    if (!frame) return undefined;
    if (frame.array) return [...frame.path, String(frame.index)];
    return frame.key === null ? undefined : [...frame.path, frame.key];
  };
  let expectKey = false;

  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 10 /* \n */) {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (char === 34 /* " */) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
      const frame = frames[frames.length - 1];
      if (expectKey && frame && !frame.array) {
        frame.key = JSON.parse(text.slice(i, end + 1)) as string;
        record([...frame.path, frame.key], i, end + 1);
        expectKey = false;
      } else {
        recordValue(i, end + 1);
      }
      i = end;
      continue;
    }
    if (char === 123 /* { */ || char === 91 /* [ */) {
      const path = childPath() ?? [];
      if (frames.length > 0) recordValue(i, i + 1);
      frames.push({ path, array: char === 91, index: 0, key: null });
      expectKey = char === 123;
      continue;
    }
    if (char === 125 /* } */ || char === 93 /* ] */) {
      frames.pop();
      expectKey = false;
      continue;
    }
    if (char === 44 /* , */) {
      const frame = frames[frames.length - 1];
      if (frame?.array) frame.index++;
      else expectKey = true;
      continue;
    }
    if (char === 58 /* : */) expectKey = false;
  }
  return found;

  // Values are located by their array index (keys already carry object members' positions).
  function recordValue(start: number, end: number): void {
    const frame = frames[frames.length - 1];
    if (frame?.array) record([...frame.path, String(frame.index)], start, end);
  }
}
