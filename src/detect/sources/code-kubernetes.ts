import ts from '../../typescript.cjs';
import type { ScanFile } from '../scan-file.js';
import type { YamlDocument } from '../yaml-documents.js';
import { lineAndCharacterAt } from '../../util/lines.js';

/** Groups of the Kubernetes API whose Pulumi / cdk8s namespace is their first label (`networking` -> `networking.k8s.io`). */
const K8S_GROUPS = new Set(['networking', 'extensions', 'apps', 'policy', 'autoscaling', 'batch']);

/** Default API versions of the kinds the readers need when the code names none (cdk8s `KubeIngress`, cdk8s-plus). */
const DEFAULT_API: Record<string, string> = {
  Ingress: 'networking.k8s.io/v1',
};

/** The value of `{ name: value }` or the shorthand `{ name }` in an object literal. */
function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const element of object.properties) {
    if (ts.isPropertyAssignment(element) && keyOf(element.name) === name) return element.initializer;
    if (ts.isShorthandPropertyAssignment(element) && element.name.text === name) return element.name;
  }
  return undefined;
}

/** A property name as written: identifier, string, number or a computed string literal. */
function keyOf(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/**
 * The data an expression writes, as a YAML reader would see it: literals as their value, a template string with its
 * `${expression}` parts kept as written, objects and arrays by their parts, anything else (a variable, a call) as
 * `${text}` (a value known at run time, shown as written, as detect shows a Terraform interpolation).
 */
function evaluate(
  node: ts.Expression,
  source: ts.SourceFile,
  path: string,
  nodes: Map<string, ts.Node>,
): unknown {
  nodes.set(path, node);
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    node = node.expression;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return (
      node.head.text +
      node.templateSpans.map((span) => `\${${span.expression.getText(source)}}${span.literal.text}`).join('')
    );
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isArrayLiteralExpression(node)) {
    const out: unknown[] = [];
    for (const element of node.elements) {
      if (ts.isSpreadElement(element) || ts.isOmittedExpression(element)) continue;
      out.push(evaluate(element, source, `${path}\u0000${out.length}`, nodes));
    }
    return out;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const element of node.properties) {
      if (ts.isPropertyAssignment(element)) {
        const key = keyOf(element.name);
        if (key === undefined) continue;
        out[key] = evaluate(element.initializer, source, `${path}\u0000${key}`, nodes);
        // The key's line, not the value's (a value over lines starts below a `key: {`).
        nodes.set(`${path}\u0000${key}`, element);
      } else if (ts.isShorthandPropertyAssignment(element)) {
        out[element.name.text] = `\${${element.name.text}}`;
        nodes.set(`${path}\u0000${element.name.text}`, element);
      }
    }
    return out;
  }
  return `\${${node.getText(source).replace(/\s+/g, ' ')}}`;
}

/**
 * The group of a module a cdk8s program imports its constructs from (`./imports/networking.istio.io` ->
 * `networking.istio.io`, `./imports/gateway.networking.k8s.io` -> `gateway.networking.k8s.io`), or undefined.
 */
function importedGroup(name: string, source: ts.SourceFile): string | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    const names =
      bindings && ts.isNamedImports(bindings)
        ? bindings.elements.map((element) => element.name.text)
        : bindings && ts.isNamespaceImport(bindings)
          ? [bindings.name.text]
          : [];
    if (!names.includes(name)) continue;
    const last = statement.moduleSpecifier.text.split('/').pop() ?? '';
    return /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(last) ? last : undefined;
  }
  return undefined;
}

/**
 * `apiVersion` and `kind` of a construct from its class as written: Pulumi `k8s.networking.v1.Ingress` (group
 * `networking` of the Kubernetes provider, `core` for the core group), a crd2pulumi class
 * `istio.networking.v1beta1.Gateway`, cdk8s `KubeIngress` / `KubeIngressV1Beta1` (the kind after `Kube`, before a
 * version), a cdk8s class imported from `./imports/<group>`, cdk8s-plus `kplus.Ingress`.
 */
function typeOf(
  constructor: ts.Expression,
  source: ts.SourceFile,
): { apiVersion?: string; kind: string } | undefined {
  const parts = constructor.getText(source).replace(/\s+/g, '').split('.');
  const last = parts[parts.length - 1] ?? '';
  const kube = /^Kube([A-Z][A-Za-z]*?)(V\d+(?:(?:Alpha|Beta)\d+)?)?$/.exec(last);
  const kind = kube ? kube[1] : last;
  if (!/^[A-Z]\w*$/.test(kind)) return undefined;
  if (kube) {
    const version = kube[2]?.toLowerCase();
    if (version) return { apiVersion: `${kind === 'Ingress' ? 'networking.k8s.io' : ''}/${version}`, kind };
    return { apiVersion: DEFAULT_API[kind], kind };
  }
  if (parts.length >= 3 && /^v\d/.test(parts[parts.length - 2])) {
    const version = parts[parts.length - 2];
    const group = parts[parts.length - 3];
    const root = parts.slice(0, -3).join('.').toLowerCase();
    if (group === 'core') return { apiVersion: version, kind };
    if (root.includes('istio')) return { apiVersion: `${group}.istio.io/${version}`, kind };
    if (/gateway/.test(root) || group === 'gateway')
      return { apiVersion: `gateway.networking.k8s.io/${version}`, kind };
    if (K8S_GROUPS.has(group))
      return {
        apiVersion: group === 'extensions' ? `extensions/${version}` : `${group}.k8s.io/${version}`,
        kind,
      };
    return { apiVersion: `${group}/${version}`, kind };
  }
  const group = parts.length === 1 ? importedGroup(last, source) : undefined;
  if (group) return { apiVersion: `${group}/v1`, kind };
  return DEFAULT_API[kind] ? { apiVersion: DEFAULT_API[kind], kind } : { kind };
}

/**
 * The Kubernetes objects a Pulumi or cdk8s program in JavaScript or TypeScript builds, as YAML documents for the YAML
 * readers (ingress-nginx, Istio, Gateway API, Traefik): every `new C(..., { metadata, spec })` (the last object
 * argument holding `metadata` or `spec`), typed by its literal `apiVersion` / `kind` (Pulumi `CustomResource`,
 * cdk8s `ApiObject`) or by its class ({@link typeOf}). A cdk8s-plus `Ingress` (props `rules`, `tls` without `spec`)
 * is read with those as its spec. `lineOf` maps a path to the line of the property in the code. Since session 36;
 * before, such an Ingress's `auth-tls-verify-client` was only named under "Not read", and its 403s were not read.
 */
export function codeKubernetesDocuments(file: ScanFile, source: ts.SourceFile): YamlDocument[] {
  const out: YamlDocument[] = [];
  const lineAt = (node: ts.Node): number => lineAndCharacterAt(source, node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.arguments?.length) {
      const props = [...node.arguments].reverse().find(ts.isObjectLiteralExpression);
      const type = props ? typeOf(node.expression, source) : undefined;
      if (props && type && (propertyValue(props, 'metadata') || propertyValue(props, 'spec'))) {
        const nodes = new Map<string, ts.Node>();
        const data = evaluate(props, source, '', nodes) as Record<string, unknown>;
        const apiVersion = typeof data.apiVersion === 'string' ? data.apiVersion : type.apiVersion;
        const kind = typeof data.kind === 'string' ? data.kind : type.kind;
        // cdk8s-plus: `new kplus.Ingress(this, 'x', { metadata, rules, tls })` holds the spec's parts at the top.
        const spec =
          data.spec === undefined &&
          kind === 'Ingress' &&
          (data.rules !== undefined || data.tls !== undefined)
            ? { rules: data.rules, tls: data.tls }
            : data.spec;
        const object = { ...data, apiVersion, kind, spec };
        const nodeOf = (path: readonly (string | number)[]): ts.Node => {
          const keys = path.map(String);
          // A cdk8s-plus spec is read from the top-level props.
          if (spec !== data.spec && keys[0] === 'spec') keys.shift();
          for (let length = keys.length; length > 0; length--) {
            const found = nodes.get(`\u0000${keys.slice(0, length).join('\u0000')}`);
            if (found) return found;
          }
          return node;
        };
        const lineOf = (path: readonly (string | number)[]): number => lineAt(nodeOf(path));
        out.push({
          data: object,
          lineOf,
          evidence: (path) => file.lines.lineText(lineOf(path)).trim(),
          yaml11Number: () => undefined,
          written: (path) => {
            const found = nodeOf(path);
            const value = ts.isPropertyAssignment(found) ? found.initializer : found;
            return ts.isLiteralExpression(value) ? value.getText(source) : undefined;
          },
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}
