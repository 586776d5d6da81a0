import { gatewayConfigKind } from './config-kind.js';
import { ScanFile } from './scan-file.js';
import { withoutActionLines, yamlWithoutTemplateTags } from './template-tags.js';
import type { DetectSkip } from './types.js';

/**
 * A YAML / JSON template (a Helm chart template, `gateway.yaml.tmpl`) as the YAML readers read it: its tags blanked
 * in place (`yamlWithoutTemplateTags`, same lines and offsets); when that is no YAML, its literal YAML, the lines
 * holding only template actions emptied (`withoutActionLines`, same lines; the file's `actionLinesLeftOut`), when
 * that parses (since session 41: before, such a template was not read, and one of a Gateway whose mode the values
 * set read "No mTLS termination found"). When neither parses, the view whose `yamlDocuments()` throws: the literal
 * one when it left lines out (its error is the template's own, not one its blanked actions made).
 */
export function templateView(absolute: string, relative: string, written: string): ScanFile {
  const blanked = new ScanFile(absolute, relative, yamlWithoutTemplateTags(written), written);
  if (parses(blanked)) return blanked;
  const literal = withoutActionLines(written);
  if (literal.lines.length === 0) return blanked;
  return new ScanFile(absolute, relative, yamlWithoutTemplateTags(literal.text), written, literal.lines);
}

function parses(file: ScanFile): boolean {
  try {
    file.yamlDocuments();
    return true;
  } catch {
    return false;
  }
}

/** How a template that does not parse was tried, for the reasons that name it. */
export function templateTried(file: ScanFile): string {
  return file.actionLinesLeftOut.length
    ? 'not YAML once its template tags are blanked, nor once the lines holding only template actions are left out'
    : 'not YAML once its template tags are blanked';
}

/**
 * The "Not read" entry of a YAML / JSON template that is no YAML in either view ({@link templateView}):
 * `unreadable` (detect --check exits 2: what it renders is unknown, since session 41; before, a template holding a
 * setting was named with exit 1 and one without was passed over). `setting`: the first mTLS server setting the
 * YAML readers know in it, named with its line; `kind`: the gateway configuration or Kubernetes resource it is
 * (src/detect/config-kind.ts). `lineScanned`: its ingress-nginx annotations were read line by line (the Helm line
 * scan), so only the rest is unknown. Undefined when it holds no setting and is of no known kind (a Deployment).
 */
export function unparsedTemplateSkip(
  file: ScanFile,
  error: Error,
  setting: { line: number; text: string } | undefined,
  lineScanned: boolean,
): DetectSkip | undefined {
  const kind = gatewayConfigKind(file.written ?? file.text);
  if (!setting && !kind) return undefined;
  const message = error.message.split('\n')[0];
  const scanned = lineScanned
    ? '; its ingress-nginx annotations are read by a line scan, nothing else of it is read'
    : '';
  if (setting)
    return {
      file: file.relative,
      line: setting.line,
      unreadable: true,
      reason:
        `a template holding an mTLS server setting at line ${setting.line} (\`${setting.text}\`)` +
        `${kind ? ` in ${kind}` : ''}, ${templateTried(file)} (${message}), so it is not read${scanned}: ` +
        `run detect on the rendered file (helm template), or set mtls.servers or mtls.everywhere by hand`,
    };
  return {
    file: file.relative,
    unreadable: true,
    reason:
      `cannot parse (${kind}): ${message}; a template, ${templateTried(file)}${scanned}: whether it asks for a ` +
      `client certificate, and which 403s it answers, is unknown: run detect on the rendered file (helm template)`,
  };
}
