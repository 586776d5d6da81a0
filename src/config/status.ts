import { MtlsFixError } from '../errors.js';

/** 401 is the workaround proven in the field (DESIGN §1). */
export const DEFAULT_STATUS = 401;

/** Parses and checks the agreed status: a 4xx other than 403. */
export function parseStatus(value: string | number, where: string): number {
  // Three digits only: `0x191`, `4.01e2` or `401.0` are not what anyone means by a status code.
  const status = typeof value === 'number' ? value : /^\s*\d{3}\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(status) || status < 400 || status > 499) {
    throw new MtlsFixError(
      'EUSAGE',
      `${where}: status '${String(value)}' is not a 4xx status code.`,
      'Use 401 (the tested iOS workaround), 404, or another 4xx.',
    );
  }
  if (status === 403) {
    throw new MtlsFixError(
      'EUSAGE',
      `${where}: status 403 is the status being replaced.`,
      'Use 401 (the tested iOS workaround), 404, or another 4xx.',
    );
  }
  return status;
}
