/**
 * The one error type library code throws for problems a user can fix (bad input, bad config, bad flag).
 * Commands turn it into a single exit-2 line; anything else is a bug and keeps its stack under --debug.
 */
export type ErrorCode =
  | 'ENOENT'
  | 'EREAD'
  | 'EPARSE'
  | 'ENOTOPENAPI'
  | 'EVERSION'
  | 'EBINARY'
  | 'EENCODING'
  | 'ESHAPE'
  | 'EDEPTH'
  | 'EALIAS'
  | 'EREF'
  | 'EREMOTE'
  | 'ECYCLE'
  | 'ECONFIG'
  | 'EUSAGE'
  | 'EGIT'
  | 'EWRITE';

export interface ErrorLocation {
  file: string;
  /** 1-based */
  line?: number;
  /** 1-based */
  column?: number;
  /** JSON pointer or config key, when that says more than a line does */
  key?: string;
}

export class MtlsFixError extends Error {
  override readonly name = 'MtlsFixError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly location?: ErrorLocation,
  ) {
    super(message);
  }

  /** `file:line:col (key): message. hint` — the one line a user sees. */
  toLine(): string {
    const where = this.location ? `${formatLocation(this.location)}: ` : '';
    const hint = this.hint ? ` ${this.hint}` : '';
    return `${where}${this.message}${hint}`;
  }
}

export function formatLocation(location: ErrorLocation): string {
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  if (location.key !== undefined) text += ` (${location.key})`;
  return text;
}

export function isMtlsFixError(error: unknown): error is MtlsFixError {
  return error instanceof MtlsFixError;
}

/** Finds a MtlsFixError behind wrappers (Spectral wraps rule-function errors in causes and AggregateErrors). */
export function findMtlsFixError(error: unknown, depth = 0): MtlsFixError | undefined {
  if (error instanceof MtlsFixError) return error;
  if (depth > 8 || error === null || typeof error !== 'object') return undefined;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  const nested = [cause, ...(Array.isArray(errors) ? (errors as unknown[]) : [])];
  for (const candidate of nested) {
    const found = findMtlsFixError(candidate, depth + 1);
    if (found) return found;
  }
  return undefined;
}
