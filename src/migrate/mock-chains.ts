import ts from '../typescript.cjs';
import type { ImportBinding } from './imports.js';
import { visibleValue } from './local-values.js';

// Calls that set up a mock of another service in a test (`nock(url).get('/x').reply(403)`,
// `new MockAdapter(axios).onPost(url).reply(403)`, `const mock = new MockAdapter(axios); mock.onGet(url).reply(403)`):
// what such a chain answers is that service's answer, never one of the product's.

/** Modules whose exports mock another service (an HTTP client's adapter, an interceptor, a fake server). */
const MOCK_MODULES: ReadonlySet<string> = new Set([
  'nock',
  'msw',
  'msw/node',
  'msw/browser',
  '@mswjs/data',
  '@mswjs/interceptors',
  'fetch-mock',
  'fetch-mock-jest',
  'jest-fetch-mock',
  'vitest-fetch-mock',
  'undici',
  'axios-mock-adapter',
  'mockttp',
  'miragejs',
  'pretender',
]);

/** Global names of mock helpers some set-ups install without an import (jest-fetch-mock's `fetchMock`). */
const MOCK_GLOBALS: ReadonlySet<string> = new Set(['nock', 'fetchMock', 'mockFetch', 'mockAgent']);

/** How many held values a chain root is followed through (`const a = new MockAgent(); const p = a.get(o)`). */
const MAX_HOPS = 4;

/**
 * Whether a name imported as `name` from `module` mocks another service. undici is a client as well
 * (`request(url)`, `new Client(origin).request(...)` make real requests): only its `MockAgent` / `MockPool` /
 * `MockClient` mock.
 */
export function mocksFrom(module: string, name: string): boolean {
  if (module === 'undici') return name.startsWith('Mock');
  return MOCK_MODULES.has(module);
}

/**
 * Whether `expression` is (a member, call or construction of) a mock of another service: its chain root is
 * imported from a mock module (see {@link mocksFrom}), is a mock global (`nock`, `fetchMock`), or is a local
 * whose value, followed by the scopes around it, is such a chain (`const mock = new MockAdapter(axios)`,
 * `const scope = nock(url)`). Syntax only; a root that is a parameter or an unknown name is no mock.
 *
 * @param importOf the file's imports by local name (`FileImports.importOf`)
 */
export function isMockChain(
  expression: ts.Expression,
  importOf: (name: string) => ImportBinding | undefined,
): boolean {
  let current: ts.Node = expression;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const root = chainRoot(current);
    if (!ts.isIdentifier(root)) return false;
    const binding = importOf(root.text);
    if (binding) return mocksFrom(binding.module, binding.name);
    const value = visibleValue(root, root.text);
    if (!value || !ts.isExpression(value) || value === root) return MOCK_GLOBALS.has(root.text);
    current = value;
  }
  return false;
}

/** The root of a member / call / construction chain (`new MockAdapter(axios).onGet('/x').reply` → `MockAdapter`). */
function chainRoot(node: ts.Node): ts.Node {
  let root = node;
  for (;;) {
    if (
      ts.isPropertyAccessExpression(root) ||
      ts.isElementAccessExpression(root) ||
      ts.isCallExpression(root) ||
      ts.isNewExpression(root) ||
      ts.isParenthesizedExpression(root) ||
      ts.isNonNullExpression(root) ||
      ts.isAsExpression(root) ||
      ts.isAwaitExpression(root)
    )
      root = root.expression;
    else return root;
  }
}
