import { words } from './text.js';

/** A `<Kind argument>` ... `</Kind>` block of an Apache httpd configuration file. */
export interface ApacheSection {
  /** The section's name, lower-cased (`virtualhost`, `location`, `ifmodule`, ...). */
  kind: string;
  /** Its first argument, unquoted (`/api` for `<Location "/api">`, `*:443` for a virtual host). */
  argument: string;
  /** 1-based line of the opening tag. */
  start: number;
  /** 1-based line of the closing tag; `Number.MAX_SAFE_INTEGER` when the file never closes it. */
  end: number;
}

/** One directive, with continuation lines (`\` at the end of a line) joined into it. */
export interface ApacheDirective {
  /** 1-based line where the directive starts. */
  line: number;
  /** The directive's name, lower-cased (`sslverifyclient`, `require`, ...). */
  name: string;
  /** Everything after the name, trimmed. */
  value: string;
  /** The whole directive as one line (continuations joined by a space), trimmed. */
  text: string;
  /** Sections it sits in, outermost first. */
  within: ApacheSection[];
}

/** A configuration file read into its sections and directives, both in file order. */
export interface ApacheConfig {
  sections: ApacheSection[];
  directives: ApacheDirective[];
}

/** Sections whose argument is a URL path or a file-system path: settings inside apply there only. */
export const APACHE_PATH_SECTIONS: ReadonlySet<string> = new Set([
  'location',
  'locationmatch',
  'directory',
  'directorymatch',
  'files',
  'filesmatch',
]);

/**
 * Reads an Apache httpd configuration text by lines, as httpd does (https://httpd.apache.org/docs/2.4/configuring.html):
 * one directive per line, a `\` as the last character continues it on the next line, `#` starts a comment
 * line, `<Section ...>` / `</Section>` nest. Directive names and section names are case-insensitive (lower-cased
 * here). A line scan because no maintained httpd configuration parser exists on npm; never throws: a closing tag
 * without an opening one is passed over, a section never closed runs to the end of the file.
 */
export function parseApacheConfig(text: string): ApacheConfig {
  const sections: ApacheSection[] = [];
  const directives: ApacheDirective[] = [];
  const open: ApacheSection[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const number = index + 1;
    let line = lines[index].trim();
    while (line.endsWith('\\') && index + 1 < lines.length) {
      index++;
      line = `${line.slice(0, -1).trimEnd()} ${lines[index].trim()}`.trim();
    }
    if (line.endsWith('\\')) line = line.slice(0, -1).trimEnd();
    if (line.startsWith('#') || line === '') continue;
    const opening = /^<\s*([A-Za-z][\w:-]*)\s*([^>]*)>/.exec(line);
    if (opening) {
      const section: ApacheSection = {
        kind: opening[1].toLowerCase(),
        argument: words(opening[2].trim())[0] ?? '',
        start: number,
        end: Number.MAX_SAFE_INTEGER,
      };
      sections.push(section);
      open.push(section);
      continue;
    }
    if (/^<\/\s*[A-Za-z][\w:-]*\s*>/.test(line)) {
      const section = open.pop();
      if (section) section.end = number;
      continue;
    }
    const directive = /^(\S+)\s*(.*)$/.exec(line);
    if (directive)
      directives.push({
        line: number,
        name: directive[1].toLowerCase(),
        value: directive[2].trim(),
        text: line,
        within: [...open],
      });
  }
  return { sections, directives };
}

/** The innermost `<VirtualHost>` a directive sits in, if any. */
export function virtualHostOf(directive: ApacheDirective | undefined): ApacheSection | undefined {
  return directive?.within.filter((section) => section.kind === 'virtualhost').pop();
}
