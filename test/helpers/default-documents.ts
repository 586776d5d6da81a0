/** Documents for the `default`-grouping tests of lint and fix (session 13, session 14). */

export type Version = 'swagger2' | 'oas30' | 'oas31' | 'oas32';
export const VERSIONS: Version[] = ['swagger2', 'oas30', 'oas31', 'oas32'];

/**
 * A document where every operation is mTLS-secured (`x-mtls: true`): `defaults` operations documenting only
 * `default` (every other one through a `$ref`), and `GET /range` documenting `4XX` (never grouped).
 */
export function documentText(version: Version, syntax: 'yaml' | 'json', defaults: number): string {
  const swagger = version === 'swagger2';
  const head = swagger
    ? { swagger: '2.0' }
    : { openapi: { oas30: '3.0.3', oas31: '3.1.0', oas32: '3.2.0' }[version] };
  const shared = swagger ? '#/responses/Error' : '#/components/responses/Error';
  const paths: Record<string, unknown> = {
    '/range': { get: { responses: { '4XX': { description: 'client error' } } } },
  };
  for (let index = 0; index < defaults; index++) {
    paths[`/d${index}`] = {
      get: { responses: { default: index % 2 ? { $ref: shared } : { description: 'error' } } },
    };
  }
  const error = { Error: { description: 'error' } };
  const data = {
    ...head,
    info: { title: 't', version: '1' },
    'x-mtls': true,
    paths,
    ...(swagger ? { responses: error } : { components: { responses: error } }),
  };
  if (syntax === 'json') return JSON.stringify(data, null, 2) + '\n';
  const yaml = (value: unknown, indent: string): string =>
    Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) =>
        inner !== null && typeof inner === 'object'
          ? `${indent}'${key}':\n${yaml(inner, indent + '  ')}`
          : `${indent}'${key}': ${JSON.stringify(inner)}\n`,
      )
      .join('');
  return yaml(data, '');
}
