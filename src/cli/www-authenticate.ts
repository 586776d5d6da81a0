import { MtlsFixError } from '../errors.js';

/** An RFC 9110 §11.1 auth-scheme: a `token` (§5.6.2), such as `Bearer` or `Mutual`. */
const AUTH_SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Checks a `--www-authenticate` flag against the agreed status (`fix` and `migrate` share it): the challenge is a
 * 401's (RFC 9110 §15.5.2), so with another status it would be dropped without a word, and it must be an
 * auth-scheme token. Does nothing when the flag is absent.
 *
 * @throws MtlsFixError `EUSAGE` when the status is not 401, or the value is not an auth-scheme token.
 */
export function checkWwwAuthenticateFlag(scheme: string | undefined, status: number): void {
  if (scheme === undefined) return;
  if (status !== 401) {
    throw new MtlsFixError(
      'EUSAGE',
      `--www-authenticate adds the 401 challenge, but the agreed status is ${status}.`,
      'Drop --www-authenticate or use --status 401.',
    );
  }
  if (!AUTH_SCHEME.test(scheme)) {
    throw new MtlsFixError(
      'EUSAGE',
      `--www-authenticate '${scheme}' is not an auth-scheme token.`,
      'Pass a scheme name such as Bearer.',
    );
  }
}
