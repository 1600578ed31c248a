import { describe, expect, it } from 'vitest';
import {
  ccExecutable,
  checkCgo,
  checkGoCache,
  checkGoFlags,
  checkGoProxy,
  type WritableProbe,
} from './build-env-checks.js';

describe('checkGoFlags', () => {
  it.each<[string, string, string[]]>([
    ['', 'ok', []],
    ['-buildvcs=false', 'ok', []],
    ['-mod=vendor', 'warn', ['mod-vendor']],
    ['--mod=mod -x', 'warn', ['mod-mod']],
    ['-tags=dev,sqlite', 'warn', ['tags']],
    ['-mod=vendor\t-tags=dev', 'warn', ['mod-vendor', 'tags']],
    ['-mod=readonly', 'ok', []],
  ])('GOFLAGS=%j', (goflags, status, kinds) => {
    const check = checkGoFlags(goflags);
    expect(check.status).toBe(status);
    expect(check.finding.kind === 'goflags' && check.finding.notable.map((n) => n.kind)).toEqual(
      kinds,
    );
  });
});

describe('checkGoFlags: a flag go rejects', () => {
  it("blocks with go's message", () => {
    const check = checkGoFlags('-nonsense', 'go: parsing $GOFLAGS: unknown flag -nonsense');
    expect(check).toMatchObject({
      status: 'block',
      finding: { rejected: 'go: parsing $GOFLAGS: unknown flag -nonsense' },
    });
  });
});

describe('checkGoProxy', () => {
  it.each<[string, string, string, boolean]>([
    ['https://proxy.golang.org,direct', '', 'ok', false],
    ['off', '', 'warn', false],
    ['off', '-mod=mod', 'warn', true],
    ['direct', '', 'ok', false],
    ['https://corp.example,off', '', 'ok', false],
  ])('GOPROXY=%j GOFLAGS=%j', (goproxy, goflags, status, modMod) => {
    expect(checkGoProxy(goproxy, goflags)).toMatchObject({ status, finding: { modMod } });
  });
});

describe('checkCgo', () => {
  it.each<[string, string, string | undefined, string, string]>([
    ['0', 'gcc', undefined, 'ok', 'cgo-disabled'],
    ['1', 'gcc', '/usr/bin/gcc', 'ok', 'cgo-compiler'],
    ['1', '/nonexistent', undefined, 'block', 'cgo-compiler'],
  ])('CGO_ENABLED=%s CC=%s found=%s', (cgoEnabled, cc, found, status, kind) => {
    expect(checkCgo({ cgoEnabled, cc, found })).toMatchObject({ status, finding: { kind } });
  });
  it('runs the first word of CC', () => {
    expect(ccExecutable(' clang -m64 ')).toBe('clang');
  });
});

describe('checkGoCache', () => {
  const writable: WritableProbe = { ok: true };
  it.each<[string, WritableProbe, string, unknown]>([
    ['/root/.cache/go-build', writable, 'ok', undefined],
    ['off', writable, 'block', { by: 'off' }],
    ['', writable, 'block', { by: 'unset' }],
    ['cache', writable, 'block', { by: 'relative' }],
    [
      '/tmp/file/cache',
      { ok: false, at: '/tmp/file', code: 'ENOTDIR' },
      'block',
      { by: 'not-writable', at: '/tmp/file', code: 'ENOTDIR' },
    ],
  ])('GOCACHE=%j', (dir, probe, status, problem) => {
    expect(checkGoCache(dir, probe)).toMatchObject({ status, finding: { dir, problem } });
  });
});
