import { describeCheck } from '../report/doctor-text.js';
import { type DoctorReport, worstStatus } from './types.js';

/** Version of the `gohot doctor --json` document; bumped on any incompatible change. */
export const DOCTOR_JSON_VERSION = 1;

/**
 * The `--json` document (docs/doctor.md): the overall status, and every check with its
 * status, the finding as a value and its words (`fix` is null for a check that passed).
 */
export function doctorJson(report: DoctorReport) {
  return {
    version: DOCTOR_JSON_VERSION,
    cwd: report.cwd,
    status: worstStatus(report.checks),
    checks: report.checks.map((check) => {
      const words = describeCheck(check);
      return {
        id: check.id,
        status: check.status,
        title: words.title,
        detail: words.detail ?? null,
        fix: words.fix ?? null,
        finding: check.finding,
      };
    }),
    skipped: report.skipped,
  };
}
