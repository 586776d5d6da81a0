/** The config file's JSON Schema: the single description of what a user may write in it. */
export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'mtls-fix configuration',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    status: {
      description:
        'The agreed status answered instead of 403 on mTLS-secured operations: a 4xx other than 403.',
      type: 'integer',
      minimum: 400,
      maximum: 499,
      not: { const: 403 },
    },
    mtls: {
      type: 'object',
      additionalProperties: false,
      properties: {
        schemes: {
          description:
            'Security scheme names that mean mTLS (OAS 3.0 and Swagger 2.0 have no mutualTLS type).',
          type: 'array',
          items: { type: 'string', pattern: '\\S' },
        },
        servers: {
          description: 'Regular expressions matched against effective server URLs.',
          type: 'array',
          items: { type: 'string', pattern: '\\S' },
        },
        everywhere: { description: 'Every operation is mTLS-secured.', type: 'boolean' },
      },
    },
    spec: {
      description: 'Default OpenAPI documents for lint and for migrate --spec.',
      oneOf: [
        { type: 'string', pattern: '\\S' },
        { type: 'array', items: { type: 'string', pattern: '\\S' } },
      ],
    },
    allowRemoteRefs: { type: 'boolean' },
    rules: {
      description: 'Rule settings for mtls-fix lint, as in Spectral: off, warn or error.',
      type: 'object',
      additionalProperties: false,
      properties: {
        'mtls-no-403': { enum: ['off', 'warn', 'error'] },
        'mtls-4xx-range': { enum: ['off', 'warn', 'error'] },
        'mtls-unchecked': {
          description:
            'A document with operations but none mTLS-secured: info (default), warn or error to fail runs on it, off to stay quiet.',
          enum: ['off', 'info', 'warn', 'error'],
        },
      },
    },
    ignore: {
      description:
        'Suppressed findings, each with its reason: counted in the summary and listed by lint --explain.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['operation', 'reason'],
        properties: {
          rule: { enum: ['mtls-no-403', 'mtls-4xx-range'] },
          operation: {
            description: 'METHOD /path as in the document, e.g. "GET /legacy/{id}".',
            type: 'string',
            pattern: '^[A-Za-z]+ /',
          },
          reason: { type: 'string', pattern: '\\S' },
        },
      },
    },
    lint: {
      type: 'object',
      additionalProperties: false,
      properties: {
        failSeverity: { enum: ['error', 'warn', 'info', 'hint'] },
        format: { enum: ['stylish', 'json', 'sarif', 'junit', 'github-actions', 'text'] },
      },
    },
    detect: {
      type: 'object',
      additionalProperties: false,
      properties: {
        exclude: {
          description:
            'Globs of files mtls-fix detect does not read (relative to the working folder), e.g. a generated dump too large to read.',
          type: 'array',
          items: { type: 'string', pattern: '\\S' },
        },
        reviewed: {
          description:
            'Entries of "403s not checked" a person reviewed, as FILE:LINE (e.g. "deploy/nginx.conf:7"): detect --check no longer fails on them.',
          type: 'array',
          items: { type: 'string', pattern: '^\\S.*:[0-9]+$' },
        },
      },
    },
    migrate: {
      type: 'object',
      additionalProperties: false,
      properties: {
        include: { type: 'array', items: { type: 'string', pattern: '\\S' } },
        exclude: { type: 'array', items: { type: 'string', pattern: '\\S' } },
        frameworks: { type: 'array', items: { type: 'string', pattern: '\\S' } },
        includeTests: { type: 'boolean' },
        wwwAuthenticate: { type: 'string', pattern: '\\S' },
        mounts: {
          description:
            'Route prefixes the code computes at run time: { "src/routes/accounts.ts": "/v1/accounts" }.',
          type: 'object',
          additionalProperties: { type: 'string' },
        },
      },
    },
  },
} as const;

/** A rule's setting in config `rules`, as in Spectral. */
export type RuleSetting = 'off' | 'warn' | 'error';

/** The setting of `mtls-unchecked` (an info rule by default, so `info` is a setting of its own). */
export type UncheckedSetting = RuleSetting | 'info';

/**
 * Whether a document that declares no mTLS fails a `--check` gate (`fix --check`, `migrate --spec --check`): config
 * `rules` leaves `mtls-unchecked` unset or sets it to `error`; `warn`, `info` and `off` turn the gate off.
 */
export function uncheckedFailsCheck(rules: RuleSettings | undefined): boolean {
  const setting = rules?.['mtls-unchecked'];
  return setting === undefined || setting === 'error';
}

/** Config `rules`: each rule's setting. */
export interface RuleSettings {
  'mtls-no-403'?: RuleSetting;
  'mtls-4xx-range'?: RuleSetting;
  'mtls-unchecked'?: UncheckedSetting;
}

/** One config `ignore` entry: the findings of `rule` (every rule when absent) on `operation`. */
export interface IgnoreEntry {
  rule?: 'mtls-no-403' | 'mtls-4xx-range';
  /** `GET /legacy/{id}`: method (any case) and the path key as written under `paths`. */
  operation: string;
  reason: string;
}

export type FailSeverity = 'error' | 'warn' | 'info' | 'hint';
export type LintFormat = 'stylish' | 'json' | 'sarif' | 'junit' | 'github-actions' | 'text';

/** What a config file may hold, after validation. */
export interface ConfigFile {
  status?: number;
  mtls?: { schemes?: string[]; servers?: string[]; everywhere?: boolean };
  spec?: string | string[];
  allowRemoteRefs?: boolean;
  rules?: RuleSettings;
  ignore?: IgnoreEntry[];
  lint?: { failSeverity?: FailSeverity; format?: LintFormat };
  detect?: { exclude?: string[]; reviewed?: string[] };
  migrate?: {
    include?: string[];
    exclude?: string[];
    frameworks?: string[];
    includeTests?: boolean;
    wwwAuthenticate?: string;
    mounts?: Record<string, string>;
  };
}
