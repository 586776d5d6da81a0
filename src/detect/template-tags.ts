import { LineIndex } from './text.js';

/**
 * Configuration files are often templates rendered at deploy time: mustache (`{{#SECTION}}`, `{{NAME}}`),
 * Jinja2 / Ansible (`{% if %}`, `{{ name }}`, `{# comment #}`), Go templates (`{{ if .X }}`, `{{ .Values.x }}`),
 * ERB (`<% %>`, `<%= %>`).
 * Their tags are not the configuration's syntax, so a parser either rejects the file or, worse, reads `{{` as
 * blocks. `withoutTemplateTags` gives the text a configuration parser can read, with every offset and line
 * where it was: control tags become spaces, an interpolation becomes a `$name` variable of the same length.
 */

/**
 * A template tag. A Go template comment (`{{/* ... *\/}}`, `{{- /* ... *\/ -}}`) is one tag up to its `*\/}}`, even
 * when the comment quotes other tags: charts document a helper with its call (`{{ include "x.image" . }}` inside the
 * comment), and before session 41 the tag ended at that call's `}}`, leaving `*\/}}` as YAML (bitnami's `_images`).
 */
const TAG =
  /\{\{-?[ \t\n]*\/\*[\s\S]*?\*\/[ \t\n]*-?\}\}|\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[^\n]*?#\}|<%[\s\S]*?%>/g;
const CONTROL =
  /^(\{\{[#/^!>=&]|\{%|\{#|<%(?!=)|\{\{-?[ \t\n]*\/\*|\{\{-?\s*(if|else|end|range|with|define|template|block|include|-)\b)/;

/** The `$name` an interpolation tag is read as: `{{ .Values.host | quote }}` -> `$Valueshostquote`. */
function interpolationName(tag: string): string {
  return `$${tag.replace(/[^A-Za-z0-9_]/g, '') || 'template'}`;
}

/**
 * Each interpolation of a template as it is read (`yamlWithoutTemplateTags`: `$name`, padded with spaces to the
 * tag's length, or cut to it) and as it is written, so a value read from the blanked text (a host) can be shown
 * as the user wrote it.
 */
export function interpolationsWritten(text: string): Map<string, string> {
  const written = new Map<string, string>();
  const add = (tag: string): void => {
    const read = interpolationName(tag).slice(0, tag.length);
    // Padded as it is read inside a quoted string (`'${x}'`), cut at the end of a plain one.
    written.set(read.padEnd(tag.length, ' '), tag);
    written.set(read, tag);
  };
  for (const [tag] of text.matchAll(TAG)) if (!CONTROL.test(tag) && !tag.includes('\n')) add(tag);
  for (const [tag] of text.matchAll(DOLLAR_BRACE)) add(tag);
  return written;
}

/** Does the text hold template tags (mustache, Jinja2, Go templates, ERB)? */
export function hasTemplateTags(text: string): boolean {
  return /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|<%[\s\S]*?%>/.test(text);
}

/**
 * `text` with its template tags replaced, the same length and the same newlines: control tags (sections, `if`,
 * `for`, comments) by spaces; an interpolation by `$` and the identifier characters of its expression
 * (`{{WS_PROXY_PATH}}` -> `$WS_PROXY_PATH    `), cut or padded with spaces to the tag's length.
 */
export function withoutTemplateTags(text: string): string {
  return text.replace(TAG, (tag) => {
    if (CONTROL.test(tag)) return tag.replace(/[^\n]/g, ' ');
    const name = interpolationName(tag);
    const flat = tag.replace(/\n/g, '');
    const replaced = name.length >= flat.length ? name.slice(0, flat.length) : name.padEnd(flat.length, ' ');
    // Keep a multi-line tag's newlines where they were.
    const newlines = tag.length - flat.length;
    return newlines ? `${replaced.slice(0, flat.length)}${'\n'.repeat(newlines)}` : replaced;
  });
}

/**
 * The suffix of a YAML or JSON file written as a template (`gateway.yaml.tmpl`, `ingress.yaml.tpl` rendered by
 * Terraform's `templatefile`, `values.yml.j2`, `stack.json.gotmpl`, `config.yaml.in`): what is left once it is cut
 * is the file the template renders.
 */
export const YAML_TEMPLATE_SUFFIX =
  /(\.(?:ya?ml|json))\.(?:tpl|tmpl|tftpl|template|j2|jinja2?|gotmpl|erb|mustache|hbs|in)$/i;

/**
 * A template marker written before a YAML or JSON extension (`gateway.tftpl.yaml`, Terraform `templatefile`'s other
 * naming, as gematik/DEMIS-stage-public writes it; `ingress.tpl.yml`, `stack.tmpl.json`, `values.gotmpl.yaml`):
 * what is left once it is cut is the file the template renders. Not `.template.yaml`, a CloudFormation name.
 */
export const YAML_TEMPLATE_INFIX = /\.(?:tftpl|tpl|tmpl|gotmpl)(?=\.(?:ya?ml|json)$)/i;

/**
 * Does YAML / JSON text hold template tags: those of {@link hasTemplateTags}, or Terraform's (`%{ if x }`,
 * `%{ for a in b }`, `${var}`) that {@link yamlWithoutTemplateTags} blanks? Not for nginx text, where `${name}` is a
 * variable.
 */
export function hasYamlTemplateTags(text: string): boolean {
  return hasTemplateTags(text) || /%\{[^}\n]*\}|\$\{[^}\n]*\}/.test(text);
}

/** Terraform template directives (`%{ if x ~}`, `%{~ endif }`, `%{ for a in b }`): control, like `{% %}`. */
const TERRAFORM_DIRECTIVE = /%\{[^}\n]*\}/g;
/** Terraform / envsubst interpolations, `${name}`. */
const DOLLAR_BRACE = /\$\{[^}\n]*\}/g;

/**
 * A YAML / JSON template's text as YAML: `withoutTemplateTags`, Terraform template directives blanked too, and
 * `${...}` interpolations (Terraform, envsubst) read as `$name` like the others (a `{` in a flow mapping,
 * `annotations: { key: ${x} }`, would open another). Same length, same lines.
 */
export function yamlWithoutTemplateTags(text: string): string {
  return withoutTemplateTags(text)
    .replace(TERRAFORM_DIRECTIVE, (tag) => ' '.repeat(tag.length))
    .replace(DOLLAR_BRACE, (tag) => interpolationName(tag).slice(0, tag.length).padEnd(tag.length, ' '));
}

/** Does a template's text hold control tags (sections, conditions, loops), so that what it renders may differ? */
export function hasTemplateControl(text: string): boolean {
  return (
    /%\{[^}\n]*\}/.test(text) ||
    [...text.matchAll(TAG)].some((match) => CONTROL.test(match[0]) && !/^\{\{!|^\{#/.test(match[0]))
  );
}

/**
 * A line holding only template tags (and blanks): a Go template action's own line, or a Jinja / ERB tag's. Each tag
 * ends at its first closing delimiter (a lazy `[\s\S]*?` would stretch one tag over `}} text {{` to reach a line end).
 */
const ACTION_LINE =
  /^[ \t]*(?:(?:\{\{-?\s*\/\*(?:(?!\*\/)[\s\S])*\*\/\s*-?\}\}|\{\{(?:[^}]|\}(?!\}))*\}\}|\{%(?:[^%]|%(?!\}))*%\}|<%(?:[^%]|%(?!>))*%>)[ \t]*)+$/gm;

/**
 * `text` with every line that holds only template tags emptied (its newlines kept, so every other line stays where
 * it was; offsets do not), for {@link yamlWithoutTemplateTags} to blank the rest: the template's literal YAML.
 * Helm charts write whole blocks from an action on its own line (`{{- include "x.labels" . | nindent 4 }}`, `{{
 * toYaml .Values.podAnnotations | indent 8 }}`, `{{ $found := false }}`), which blanked in place is a scalar where a
 * mapping goes, so most charts' templates were not YAML (session 41: 2,881 of bitnami/charts' 3,023 templates;
 * 70 of CZERTAINLY's 158). Emptied rather than blanked with spaces: a block scalar whose first lines are blanks
 * deeper than its text is no YAML either. `lines`: the 1-based lines emptied.
 */
export function withoutActionLines(text: string): { text: string; lines: number[] } {
  const lines: number[] = [];
  const index = new LineIndex(text);
  const emptied = text.replace(ACTION_LINE, (match, ...rest: unknown[]) => {
    const offset = rest.find((value): value is number => typeof value === 'number') ?? 0;
    const last = index.lineOf(offset + match.length);
    for (let line = index.lineOf(offset); line <= last; line++) lines.push(line);
    return match.replace(/[^\n]/g, '');
  });
  return { text: emptied, lines };
}

/** Every template tag of `text` with its offset, in order (the tags {@link withoutTemplateTags} blanks). */
export function templateTags(text: string): { tag: string; offset: number }[] {
  return [...text.matchAll(TAG)].map((match) => ({ tag: match[0], offset: match.index }));
}

/**
 * Whether a Go template tag writes text into what the template renders (a value, `toYaml`, `include`, `template`,
 * `tpl`): not a section or condition (`if`, `else`, `end`, `range`, `with`, `define`, `block`), a comment, a
 * variable assignment (`{{ $x := ... }}`) or a `fail`; nor a Jinja / ERB / mustache control tag.
 */
export function isOutputTag(tag: string): boolean {
  if (/^(?:\{\{[#/^!>=&]|\{%|\{#|<%(?!=)|\{\{-?[ \t\n]*\/\*)/.test(tag)) return false;
  return !/^\{\{-?\s*(?:(?:if|else|end|range|with|define|block|fail)\b|\$\w*\s*:?=(?!=))/.test(tag);
}
