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
