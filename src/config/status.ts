import { MtlsFixError } from '../errors.js';

/** 401 is the workaround proven in the field (DESIGN §1). */
export const DEFAULT_STATUS = 401;

/** Parses and checks the agreed status: a 4xx other than 403. */
export function parseStatus(value: string | number, where: string): number {
  const status = typeof value === 'number' ? value : Number(value);
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
