import type { ScanFile } from './scan-file.js';
import type { DetectSkip } from './types.js';

/**
 * An mTLS setting whose value detect cannot evaluate (a template parameter, a Terraform variable): named with its
 * line, never passed over. `off`: the value that would turn mTLS off (so it is not a finding either).
 */
export function unresolvedSetting(
  file: ScanFile,
  line: number,
  setting: string,
  written: string,
  off: string,
): DetectSkip {
  return {
    file: file.relative,
    line,
    reason:
      `sets ${setting} at line ${line} from \`${written}\`, which detect cannot evaluate: mTLS unless it is ${off}; ` +
      'nothing of it is in the proposal: set mtls.servers or mtls.everywhere by hand if it is on',
  };
}

/** Whether a value hcl2json gives is a Terraform expression (`${var.mode}`, `${local.x}`), not a literal. */
export function isTerraformExpression(value: string | undefined): value is string {
  return value !== undefined && /^\$\{.*\}$/s.test(value.trim());
}
