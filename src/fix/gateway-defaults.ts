import type { MtlsFinding } from '../findings/findings.js';
import { AWS_GATEWAY_RESPONSES } from '../openapi/aws-integration.js';
import type { GatewayDefaultEntry } from '../openapi/aws-gateway-defaults.js';
import { encodePointer, isObject, operationName, type JsonPath } from '../openapi/index.js';
import { notEditable, type IntegrationPlanContext } from './integration.js';
import type { FixChange } from './types.js';

/** The response header a gateway response maps a static value to (API Gateway mapping syntax). */
const WWW_AUTHENTICATE_PARAMETER = 'gatewayresponse.header.WWW-Authenticate';

/**
 * Plans the gateway responses an Amazon API Gateway REST API document needs so that the types it leaves at their
 * default 403 (`findings`: the `mtls-no-403` findings with `site: 'gateway-default'`, suppressed ones left out;
 * `entries`: the analysis' gateway defaults, matched by type) answer the agreed status: a `statusCode` added to a
 * gateway response of that type written without one, or replacing one that is no HTTP status (`'0623'`), else the type added to `x-amazon-apigateway-gateway-responses`,
 * else that map added at the end of the root document (one edit for every type). With `wwwAuthenticate` and the
 * agreed status 401, each added gateway response also sends `WWW-Authenticate` (RFC 9110 §15.5.2) through
 * `responseParameters`. The status is written as a string (the extension's type), or an integer when the
 * document's other gateway responses write integers. Skipped, with the reason: every type when an operation of the
 * document is not mTLS-secured (a gateway response serves every method); a type whose place is in another file
 * under overlay mode, comes through a YAML alias or merge key, or is in a file that does not parse exactly.
 * Returns one change per finding.
 */
export function planGatewayDefaults(
  findings: readonly MtlsFinding[],
  entries: readonly GatewayDefaultEntry[],
  context: IntegrationPlanContext,
  wwwAuthenticate: string | undefined,
): FixChange[] {
  if (findings.length === 0) return [];
  const { set, status } = context;
  const open = context.operations.find((entry) => !entry.mtls);
  const numeric = writesIntegers(entries[0]?.responses?.value);
  const statusValue = numeric ? Number(status) : status;
  const challenge = wwwAuthenticate && status === '401' ? `'${wwwAuthenticate}'` : undefined;
  const fresh: Record<string, unknown> = {};
  const changes: FixChange[] = [];
  for (const finding of findings) {
    const type = finding.gatewayResponse ?? '';
    const entry = entries.find((candidate) => candidate.type === type);
    const target = entry?.written ?? entry?.responses;
    const pointerPath: JsonPath = entry?.written
      ? [...entry.written.path, 'statusCode']
      : entry?.responses
        ? [...entry.responses.path, type, 'statusCode']
        : [AWS_GATEWAY_RESPONSES, type, 'statusCode'];
    const change: FixChange = {
      action: 'replaced',
      operations: (entry?.operations ?? []).map((operation) => operationName(operation)),
      file: set.displayPath(finding.location.file),
      line: (finding.location.file.rangeOf(finding.location.path, true)?.start.line ?? -1) + 1,
      pointer: encodePointer(pointerPath),
      // A statusCode written that is no status (`'0623'`) is named as written.
      from: entry?.noStatus?.type === type ? entry.noStatus.written : '403',
      to: status,
      lost: [],
      added: [`gateway response ${type}${challenge ? ' with WWW-Authenticate' : ''}`],
      site: 'gateway-default',
      selection: type,
    };
    changes.push(change);
    const file = target?.file ?? set.root;
    const shared = entry?.written ? sharedWith(entry, type, findings) : undefined;
    const reason = !entry
      ? 'the gateway response type could not be matched to the analysis; add it by hand'
      : shared
        ? `the gateway response ${type} is the same map as ${shared} (a YAML anchor and alias), whose status would ` +
          `change too; give ${type} a map of its own, then run again`
        : open
          ? `a gateway response serves every operation, and ${operationName(open.operation)} is not mTLS-secured; ` +
            'add it by hand if that is meant'
          : context.rootOnly && file !== set.root
            ? `in ${set.displayPath(file)}; an Overlay addresses the root document only (run fix in place)`
            : notEditable(
                context,
                file,
                target?.path ?? [],
                entry.written ? `the gateway response ${type}` : 'the gateway responses map',
                true,
              );
    if (reason !== undefined) {
      change.action = 'skipped';
      change.reason = reason;
      change.added = [];
      continue;
    }
    if (entry?.written) {
      const ops = context.opsFor(entry.written.file);
      // A statusCode written but no HTTP status (`'0623'`) is replaced where it is written, as the user wrote it;
      // so is one written empty (`statusCode:`, `~`: before session 25 a second key was added and the read-back failed).
      const own = entry.noStatus?.type === type ? entry.noStatus : undefined;
      const inPlace = own !== undefined || 'statusCode' in entry.written.value;
      ops.push(
        inPlace
          ? { kind: 'replace-value', path: [...entry.written.path, 'statusCode'], value: statusValue }
          : { kind: 'add-key', map: entry.written.path, key: 'statusCode', value: statusValue },
      );
      // What is added to the gateway response the user wrote: its statusCode when it had none, the challenge
      // header; nothing when the status is set in place (before session 26 a status set in place in `statusCode: ~`
      // was reported as "added: gateway response ACCESS_DENIED").
      change.added = inPlace ? [] : ['statusCode'];
      if (challenge) {
        const parameters = entry.written.value.responseParameters;
        if (parameters === undefined) {
          ops.push({
            kind: 'add-key',
            map: entry.written.path,
            key: 'responseParameters',
            value: { [WWW_AUTHENTICATE_PARAMETER]: challenge },
          });
          change.added.push('WWW-Authenticate');
        } else if (isObject(parameters) && !hasParameter(parameters)) {
          ops.push({
            kind: 'add-key',
            map: [...entry.written.path, 'responseParameters'],
            key: WWW_AUTHENTICATE_PARAMETER,
            value: challenge,
          });
          change.added.push('WWW-Authenticate');
        }
      }
      continue;
    }
    const response = {
      statusCode: statusValue,
      ...(challenge ? { responseParameters: { [WWW_AUTHENTICATE_PARAMETER]: challenge } } : {}),
    };
    if (entry?.responses) {
      context.opsFor(entry.responses.file).push({
        kind: 'add-key',
        map: entry.responses.path,
        key: type,
        value: response,
      });
      continue;
    }
    fresh[type] = response;
  }
  if (Object.keys(fresh).length > 0)
    context.opsFor(set.root).push({ kind: 'add-key', map: [], key: AWS_GATEWAY_RESPONSES, value: fresh });
  return changes;
}

/**
 * The first other gateway response type that is the very map of `type` (`ACCESS_DENIED: &denied {...}`,
 * `DEFAULT_5XX: *denied`: one map to the parser and to API Gateway's import) and is not itself given the agreed
 * status by `findings`: a status written there would change it too (before session 25, `DEFAULT_5XX` answered 401).
 */
function sharedWith(
  entry: GatewayDefaultEntry,
  type: string,
  findings: readonly MtlsFinding[],
): string | undefined {
  const written = entry.written?.value;
  const fixed = new Set(findings.map((finding) => finding.gatewayResponse));
  return Object.entries(entry.responses?.value ?? {}).find(
    ([other, value]) => other !== type && value === written && !fixed.has(other),
  )?.[0];
}

/** Whether the document's gateway responses write their status as integers (`statusCode: 404`). */
function writesIntegers(responses: Record<string, unknown> | undefined): boolean {
  if (!responses) return false;
  const codes = Object.values(responses)
    .map((response) => (isObject(response) ? response.statusCode : undefined))
    .filter((code) => code !== undefined && code !== null);
  return codes.length > 0 && codes.every((code) => typeof code === 'number');
}

function hasParameter(parameters: Record<string, unknown>): boolean {
  return Object.keys(parameters).some(
    (name) => name.toLowerCase() === WWW_AUTHENTICATE_PARAMETER.toLowerCase(),
  );
}
