import { describe, expect, it } from 'vitest';
import { doctorJson } from '../doctor/doctor-json.js';
import type { DoctorReport } from '../doctor/types.js';
import { describeCheck, doctorText } from './doctor-text.js';

const report: DoctorReport = {
  cwd: '/m',
  checks: [
    { id: 'go', status: 'ok', finding: { kind: 'go-found', goBin: 'go', version: 'go1.26.8' } },
    {
      id: 'cgo',
      status: 'block',
      finding: { kind: 'cgo-compiler', cc: '/nonexistent', found: undefined },
    },
    { id: 'goproxy', status: 'warn', finding: { kind: 'goproxy', goproxy: 'off', modMod: false } },
  ],
  skipped: [{ id: 'packages', after: 'main' }],
};

describe('doctorText', () => {
  const text = doctorText(report);
  it('prints one line per check, and the detail and fix under problems only', () => {
    expect(text).toMatch(/^ok {4}go {7}go1\.26\.8 \(go\)$/m);
    expect(text).toMatch(/^BLOCK cgo .*"\/nonexistent" is not found$/m);
    expect(text).toMatch(/^ {15}fix: Install a C compiler/m);
    expect(text.match(/fix:/g)).toHaveLength(2);
  });
  it('names skipped checks and sums up', () => {
    expect(text).toMatch(/packages +not checked: needs main to pass/);
    expect(text).toMatch(/1 blocking problem: gohot cannot reload here until fixed; 1 warning\.$/);
  });
  it('has no fix for a check that passed', () => {
    expect(describeCheck(report.checks[0]!).fix).toBeUndefined();
  });
});

describe('doctorJson', () => {
  it('is versioned, carries the worst status, the words and the finding', () => {
    const json = doctorJson(report);
    expect(json).toMatchObject({ version: 1, cwd: '/m', status: 'block' });
    expect(json.checks[0]).toMatchObject({ id: 'go', status: 'ok', fix: null, detail: null });
    expect(json.checks[1]).toMatchObject({
      id: 'cgo',
      status: 'block',
      finding: { kind: 'cgo-compiler', cc: '/nonexistent' },
    });
    expect(json.checks[1]?.fix).toMatch(/CGO_ENABLED=0/);
    // An absent value is null: every field of a finding is always there.
    expect(json.checks[1]?.finding).toEqual({
      kind: 'cgo-compiler',
      cc: '/nonexistent',
      found: null,
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
