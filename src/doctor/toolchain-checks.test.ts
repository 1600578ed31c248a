import { describe, expect, it } from 'vitest';
import { parseGoVersion } from '../go/go-env.js';
import {
  checkGo,
  checkToolchain,
  effectiveGoToolchain,
  type GoProbe,
  type ToolchainFacts,
} from './toolchain-checks.js';

describe('checkGo', () => {
  it.each<[string, GoProbe, string, string]>([
    [
      'a current go',
      { status: 'found', goBin: 'go', version: parseGoVersion('go1.26.8') },
      'ok',
      'go-found',
    ],
    [
      'exactly the minimum',
      { status: 'found', goBin: 'go', version: parseGoVersion('go1.21.0') },
      'ok',
      'go-found',
    ],
    [
      'a release candidate of the minimum',
      { status: 'found', goBin: 'go', version: parseGoVersion('go1.21rc2') },
      'ok',
      'go-found',
    ],
    [
      'go 1.20',
      { status: 'found', goBin: 'go', version: parseGoVersion('go1.20.14') },
      'block',
      'go-too-old',
    ],
    ['no go', { status: 'missing', goBin: 'go' }, 'block', 'go-missing'],
    [
      'not runnable',
      { status: 'not-runnable', goBin: '/x/go', error: 'EACCES' },
      'block',
      'go-not-runnable',
    ],
    [
      'a strange version',
      { status: 'version-unknown', goBin: 'go', raw: 'weird' },
      'block',
      'go-version-unknown',
    ],
  ])('%s', (_, probe, status, kind) => {
    const check = checkGo(probe);
    expect(check.id).toBe('go');
    expect(check.status).toBe(status);
    expect(check.finding.kind).toBe(kind);
  });
});

describe('checkToolchain', () => {
  const base: ToolchainFacts = {
    local: parseGoVersion('go1.26.8'),
    gotoolchain: 'auto',
    goLine: '1.21',
    toolchainLine: undefined,
    file: '/m/go.mod',
    goproxy: 'https://proxy.golang.org,direct',
    onPath: () => false,
    isCached: () => false,
  };
  it.each<[string, Partial<ToolchainFacts>, string, Record<string, unknown>]>([
    ['go line older than local, auto', {}, 'ok', { kind: 'toolchain-local' }],
    [
      'go line older than local, local',
      { gotoolchain: 'local' },
      'ok',
      { kind: 'toolchain-local' },
    ],
    ['no go.mod at all', { goLine: undefined, file: '' }, 'ok', { kind: 'toolchain-local' }],
    ['go line equal to local', { goLine: '1.26.8' }, 'ok', { kind: 'toolchain-local' }],
    [
      'go 1.99 with GOTOOLCHAIN=local',
      { goLine: '1.99', gotoolchain: 'local' },
      'block',
      { kind: 'toolchain-unavailable', why: 'local', wants: 'go1.99.0' },
    ],
    [
      'a newer toolchain line is only advice under local',
      { toolchainLine: 'go1.30.1', gotoolchain: 'local' },
      'ok',
      { kind: 'toolchain-local' },
    ],
    [
      'go 1.99 with auto: go downloads it',
      { goLine: '1.99' },
      'warn',
      { kind: 'toolchain-download', wants: 'go1.99.0', wantsFrom: '/m/go.mod' },
    ],
    [
      'a newer toolchain line with auto',
      { toolchainLine: 'go1.30.1' },
      'warn',
      { kind: 'toolchain-download', wants: 'go1.30.1' },
    ],
    [
      'go 1.99 with auto and GOPROXY=off',
      { goLine: '1.99', goproxy: 'off' },
      'block',
      { kind: 'toolchain-unavailable', why: 'proxy-off' },
    ],
    [
      'go 1.99 with auto, downloaded before',
      { goLine: '1.99', goproxy: 'off', isCached: (n) => n === 'go1.99.0' },
      'ok',
      { kind: 'toolchain-switch', wants: 'go1.99.0', via: 'module-cache' },
    ],
    [
      'go 1.99 with path, not on PATH',
      { goLine: '1.99', gotoolchain: 'path' },
      'block',
      { kind: 'toolchain-unavailable', why: 'path' },
    ],
    [
      'go 1.99 with path, on PATH',
      { goLine: '1.99', gotoolchain: 'path', onPath: (n) => n === 'go1.99.0' },
      'ok',
      { kind: 'toolchain-switch', via: 'path' },
    ],
    [
      'a fixed older toolchain is downloaded',
      { gotoolchain: 'go1.22.0' },
      'warn',
      { kind: 'toolchain-download', wants: 'go1.22.0', wantsFrom: 'GOTOOLCHAIN' },
    ],
    [
      'a fixed toolchain equal to local',
      { gotoolchain: 'go1.26.8' },
      'ok',
      { kind: 'toolchain-local' },
    ],
    [
      'name+auto: go.mod newer than the name wins',
      { gotoolchain: 'go1.22.0+auto', goLine: '1.99' },
      'warn',
      { kind: 'toolchain-download', wants: 'go1.99.0' },
    ],
    [
      'local+auto is auto',
      { gotoolchain: 'local+auto', goLine: '1.99', goproxy: 'off,direct' },
      'block',
      { kind: 'toolchain-unavailable', why: 'proxy-off' },
    ],
    [
      'a pre-release go line names that pre-release',
      { goLine: '1.99rc1', gotoolchain: 'local' },
      'block',
      { kind: 'toolchain-unavailable', wants: 'go1.99rc1' },
    ],
  ])('%s', (_, facts, status, finding) => {
    const check = checkToolchain({ ...base, ...facts });
    expect(check.status).toBe(status);
    expect(check.finding).toMatchObject(finding);
  });
});

describe('effectiveGoToolchain', () => {
  it.each<[string, NodeJS.ProcessEnv, string | undefined, string | undefined, string]>([
    ['the environment wins', { GOTOOLCHAIN: 'local' }, 'GOTOOLCHAIN=auto\n', undefined, 'local'],
    ['then go env -w', {}, 'GOFLAGS=-x\nGOTOOLCHAIN=path\n', 'GOTOOLCHAIN=auto\n', 'path'],
    ['then $GOROOT/go.env', {}, undefined, 'GOPROXY=x\nGOTOOLCHAIN=auto\n', 'auto'],
    ['an empty variable is unset', { GOTOOLCHAIN: '' }, undefined, 'GOTOOLCHAIN=auto', 'auto'],
    ['go’s built-in default', {}, undefined, undefined, 'local'],
  ])('%s', (_, env, goenv, gorootEnv, expected) => {
    expect(effectiveGoToolchain(env, goenv, gorootEnv)).toBe(expected);
  });
});
