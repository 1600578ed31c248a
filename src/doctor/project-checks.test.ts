import { describe, expect, it } from 'vitest';
import type { ResolvedGoProject } from '../go/types.js';
import {
  checkModule,
  checkPackages,
  checkStep,
  checkVendor,
  lastModFlag,
  type ModuleFacts,
  parseInconsistentVendoring,
  type VendorFacts,
} from './project-checks.js';

const project = (moduleRoot: string): ResolvedGoProject =>
  ({ moduleRoot, modulePath: 'example.com/app', workFile: undefined }) as ResolvedGoProject;
const failed = (code: string) => ({
  ok: false as const,
  error: { code, message: `${code} happened`, hint: 'do this' },
});

describe('checkModule', () => {
  const base: ModuleFacts = {
    cwd: '/src/app',
    project: { ok: true, value: project('/src/app') },
    go111module: '',
    gopath: '/root/go',
    nearby: [],
  };
  it.each<[string, Partial<ModuleFacts>, string, Record<string, unknown>]>([
    ['a module', {}, 'ok', { kind: 'module', moduleRoot: '/src/app' }],
    [
      'started in a subdirectory',
      { cwd: '/src/app/cmd' },
      'ok',
      { kind: 'module', cwd: '/src/app/cmd', moduleRoot: '/src/app' },
    ],
    [
      'GO111MODULE=off',
      { project: failed('NOT_A_MODULE'), go111module: 'off' },
      'block',
      { kind: 'gopath-mode', go111module: 'off' },
    ],
    [
      'no go.mod, one below',
      { project: failed('NO_GO_MOD'), nearby: ['backend'] },
      'block',
      { kind: 'no-go-mod', nearby: ['backend'] },
    ],
    [
      'go env failed',
      { project: failed('GO_ENV_FAILED') },
      'block',
      { kind: 'step-failed', error: { code: 'GO_ENV_FAILED' } },
    ],
    [
      'inside GOPATH/src in module mode',
      { project: { ok: true, value: project('/root/go/src/example.com/app') } },
      'ok',
      { kind: 'in-gopath-src', gopathSrc: '/root/go/src' },
    ],
    [
      'inside the second GOPATH entry with GO111MODULE=auto',
      {
        project: { ok: true, value: project('/b/src/app') },
        gopath: '/a:/b',
        go111module: 'auto',
      },
      'warn',
      { kind: 'in-gopath-src', gopathSrc: '/b/src' },
    ],
    [
      'a GOPATH that only shares a prefix',
      { project: { ok: true, value: project('/root/go/srcx/app') } },
      'ok',
      { kind: 'module' },
    ],
  ])('%s', (_, facts, status, finding) => {
    const check = checkModule({ ...base, ...facts });
    expect(check.id).toBe('module');
    expect(check.status).toBe(status);
    expect(check.finding).toMatchObject(finding);
  });
});

describe('checkStep and checkPackages', () => {
  it('blocks on a failed config or main step, with the error as a value', () => {
    const check = checkStep('config', failed('CONFIG_INVALID'), () => ({
      kind: 'config-loaded',
      source: undefined,
    }));
    expect(check).toMatchObject({
      id: 'config',
      status: 'block',
      finding: { kind: 'step-failed', error: { code: 'CONFIG_INVALID', hint: 'do this' } },
    });
  });
  it('passes a resolved step', () => {
    const check = checkStep('main', { ok: true, value: '.' }, (relPath) => ({
      kind: 'main-found',
      relPath,
      importPath: 'x',
    }));
    expect(check).toMatchObject({ status: 'ok', finding: { kind: 'main-found', relPath: '.' } });
  });
  it('warns when go list fails (gohot still reloads, by patterns)', () => {
    expect(checkPackages(failed('GO_LIST_FAILED')).status).toBe('warn');
    expect(checkPackages({ ok: true, value: 3 })).toMatchObject({
      status: 'ok',
      finding: { packages: 3 },
    });
  });
});

const INCONSISTENT = `go: inconsistent vendoring in /tmp/dv:
\texample.com/vlib@v0.0.1: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt
\texample.com/vlib@v0.0.0: is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod

\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.
`;

describe('checkVendor', () => {
  const base: VendorFacts = { hasVendor: true, modFlag: undefined, listError: undefined };
  it.each<[string, Partial<VendorFacts>, string, Record<string, unknown>]>([
    [
      'no vendor directory',
      { hasVendor: false, listError: INCONSISTENT },
      'ok',
      { kind: 'no-vendor' },
    ],
    ['vendor in sync', {}, 'ok', { kind: 'vendor-consistent' }],
    [
      'vendor out of sync',
      { listError: INCONSISTENT },
      'block',
      {
        kind: 'vendor-inconsistent',
        problems: [
          expect.stringMatching(/^example.com\/vlib@v0.0.1/),
          expect.stringMatching(/^example.com\/vlib@v0.0.0/),
        ],
      },
    ],
    [
      'out of sync, but -mod=mod ignores vendor/',
      { modFlag: '-mod=mod', listError: INCONSISTENT },
      'ok',
      { kind: 'vendor-ignored', flag: '-mod=mod' },
    ],
    [
      'out of sync with -mod=vendor',
      { modFlag: '-mod=vendor', listError: INCONSISTENT },
      'block',
      { kind: 'vendor-inconsistent' },
    ],
    [
      'another go list error is not this check',
      { listError: 'go: no Go files in /m' },
      'ok',
      { kind: 'vendor-consistent' },
    ],
  ])('%s', (_, facts, status, finding) => {
    const check = checkVendor({ ...base, ...facts });
    expect(check.status).toBe(status);
    expect(check.finding).toMatchObject(finding);
  });

  it('reads only the module lines of the error', () => {
    expect(parseInconsistentVendoring(INCONSISTENT)).toHaveLength(2);
    expect(parseInconsistentVendoring('go: something else')).toBeUndefined();
  });

  it.each<[string[], string[], string | undefined]>([
    [[], [], undefined],
    [['-mod=vendor'], [], '-mod=vendor'],
    [['-mod=vendor'], ['-mod=mod'], '-mod=mod'],
    [['--mod=readonly', '-x'], [], '-mod=readonly'],
  ])('lastModFlag(%j, %j) = %s', (goflags, buildFlags, expected) => {
    expect(lastModFlag(goflags, buildFlags)).toBe(expected);
  });
});
