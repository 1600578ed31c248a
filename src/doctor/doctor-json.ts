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
        finding: withNulls(check.finding),
      };
    }),
    skipped: report.skipped,
  };
}

/** The value with every undefined field as null, so each field of a finding is always present. */
function withNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withNulls);
  if (typeof value !== 'object' || value === null) return value ?? null;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, v === undefined ? null : withNulls(v)]),
  );
}
