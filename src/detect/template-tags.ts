/**
 * Configuration files are often templates rendered at deploy time: mustache (`{{#SECTION}}`, `{{NAME}}`),
 * Jinja2 / Ansible (`{% if %}`, `{{ name }}`, `{# comment #}`), Go templates (`{{ if .X }}`, `{{ .Values.x }}`),
 * ERB (`<% %>`, `<%= %>`).
 * Their tags are not the configuration's syntax, so a parser either rejects the file or, worse, reads `{{` as
 * blocks. `withoutTemplateTags` gives the text a configuration parser can read, with every offset and line
 * where it was: control tags become spaces, an interpolation becomes a `$name` variable of the same length.
 */

const TAG = /\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[^\n]*?#\}|<%[\s\S]*?%>/g;
const CONTROL =
  /^(\{\{[#/^!>=&]|\{%|\{#|<%(?!=)|\{\{-?\s*(if|else|end|range|with|define|template|block|include|-)\b)/;

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
    const name = `$${tag.replace(/[^A-Za-z0-9_]/g, '') || 'template'}`;
    const flat = tag.replace(/\n/g, '');
    const replaced = name.length >= flat.length ? name.slice(0, flat.length) : name.padEnd(flat.length, ' ');
    // Keep a multi-line tag's newlines where they were.
    const newlines = tag.length - flat.length;
    return newlines ? `${replaced.slice(0, flat.length)}${'\n'.repeat(newlines)}` : replaced;
  });
}
