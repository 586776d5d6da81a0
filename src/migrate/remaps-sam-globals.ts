import path from 'node:path';
import { cfnLogicalId } from '../detect/sources/aws.js';
import type { ScanFile } from '../detect/scan-file.js';
import { asObject, asText, dig } from '../detect/yaml-documents.js';
import type { AuthorizerTie } from './remaps-apis.js';
import { samFunctionModules } from './routes/lambda-config.js';

/** A `Globals: Api: GatewayResponses:` entry, once per API it applies to (remaps-gateway.ts `GatewayRemap`). */
export interface GlobalResponse {
  /** `ACCESS_DENIED` or `DEFAULT_4XX`. */
  type: string;
  /** Its `StatusCode` when written as three digits; else undefined. */
  status: number | undefined;
  /** The template, relative to the working folder, `/`-separated, and the line of the status (or of the type). */
  file: string;
  line: number;
  /** The API's key (`<file>#ServerlessRestApi`, `<file>#<logical id>`). */
  api: string;
}

/**
 * SAM `Globals: Api:` (session 37): what it sets applies to every `AWS::Serverless::Api` of the template and to the
 * implicit API SAM makes for function events of `Type: Api` with no `RestApiId` (logical id `ServerlessRestApi`;
 * AWS SAM "Globals section of the template": Api globals apply to the implicit API too; a resource's own value
 * for a key wins over the global one). Read here:
 * - `GatewayResponses`: each ACCESS_DENIED / DEFAULT_4XX entry is a gateway response of the implicit API and of
 *   each `AWS::Serverless::Api` that does not set that type itself;
 * - `Auth.Authorizers`: each Lambda authorizer (`FunctionArn`) runs on the implicit API when a function event on it
 *   uses it (`Auth.Authorizer: <name>`, or no `Authorizer` and `Auth.DefaultAuthorizer: <name>`; `NONE` opts out),
 *   and on each `AWS::Serverless::Api` without an authorizer of that name whose `DefaultAuthorizer` (its own, else
 *   the global one) names it, or whose events name it.
 * Keys follow remaps-apis.ts: `<file>#ServerlessRestApi`, `<file>#<logical id>`.
 */
export function samGlobals(file: ScanFile): { responses: GlobalResponse[]; ties: AuthorizerTie[] } {
  const responses: GlobalResponse[] = [];
  const ties: AuthorizerTie[] = [];
  if (!/\bGlobals\b/.test(file.text)) return { responses, ties };
  const folder = path.posix.dirname(file.relative);
  for (const document of file.yamlDocuments()) {
    const data = document.data;
    const api = asObject(dig(data, 'Globals', 'Api'));
    const resources = asObject(dig(data, 'Resources'));
    if (!api || !resources) continue;
    const implicit = `${file.relative}#ServerlessRestApi`;
    const explicit = Object.keys(resources).filter(
      (n) => asText(dig(resources[n], 'Type')) === 'AWS::Serverless::Api',
    );
    const key = (name: string) => `${file.relative}#${name}`;
    // Gateway responses.
    const globalResponses = asObject(api.GatewayResponses) ?? {};
    for (const type of ['ACCESS_DENIED', 'DEFAULT_4XX']) {
      if (!(type in globalResponses)) continue;
      const written = dig(globalResponses, type, 'StatusCode');
      const text = asText(written) ?? (typeof written === 'number' ? String(written) : undefined);
      const status = text !== undefined && /^\d{3}$/.test(text.trim()) ? Number(text) : undefined;
      const line = document.lineOf([
        'Globals',
        'Api',
        'GatewayResponses',
        type,
        ...(written === undefined ? [] : ['StatusCode']),
      ]);
      const apis = [
        implicit,
        ...explicit
          .filter((n) => dig(resources[n], 'Properties', 'GatewayResponses', type) === undefined)
          .map(key),
      ];
      for (const target of apis) responses.push({ type, status, file: file.relative, line, api: target });
    }
    // Lambda authorizers.
    const authorizers = asObject(dig(api, 'Auth', 'Authorizers')) ?? {};
    const globalDefault = asText(dig(api, 'Auth', 'DefaultAuthorizer'));
    const functionGlobals = asObject(dig(data, 'Globals', 'Function')) ?? {};
    const functions = Object.keys(resources).filter((n) =>
      ['AWS::Serverless::Function', 'AWS::Lambda::Function'].includes(
        asText(dig(resources[n], 'Type')) ?? '',
      ),
    );
    // Which authorizer each API's events use: `<api key>` -> names.
    const used = new Map<string, Set<string>>();
    for (const fn of functions) {
      const events = asObject(dig(resources[fn], 'Properties', 'Events')) ?? {};
      for (const event of Object.values(events)) {
        if (asText(dig(event, 'Type')) !== 'Api') continue;
        const restApi = dig(event, 'Properties', 'RestApiId');
        const apiName = restApi === undefined ? undefined : cfnLogicalId(restApi);
        const target =
          restApi === undefined ? implicit : apiName && explicit.includes(apiName) ? key(apiName) : undefined;
        if (!target) continue;
        const own = apiName
          ? asText(dig(resources[apiName], 'Properties', 'Auth', 'DefaultAuthorizer'))
          : undefined;
        const name = asText(dig(event, 'Properties', 'Auth', 'Authorizer')) ?? own ?? globalDefault;
        if (!name || name === 'NONE') continue;
        const set = used.get(target) ?? new Set<string>();
        set.add(name);
        used.set(target, set);
      }
    }
    for (const [name, value] of Object.entries(authorizers)) {
      const fn = cfnLogicalId(dig(value, 'FunctionArn'));
      if (fn === undefined || !functions.includes(fn)) continue;
      const modules = samFunctionModules(resources[fn], functionGlobals).modules.map((m) =>
        path.posix.join(folder, m),
      );
      const where = `${file.relative}:${document.lineOf(['Globals', 'Api', 'Auth', 'Authorizers', name])}`;
      const apis = new Set<string>();
      if (used.get(implicit)?.has(name)) apis.add(implicit);
      for (const n of explicit) {
        if (dig(resources[n], 'Properties', 'Auth', 'Authorizers', name) !== undefined) continue;
        const own = asText(dig(resources[n], 'Properties', 'Auth', 'DefaultAuthorizer')) ?? globalDefault;
        if (own === name || used.get(key(n))?.has(name)) apis.add(key(n));
      }
      for (const target of apis) for (const module of modules) ties.push({ module, api: target, where });
    }
  }
  return { responses, ties };
}
