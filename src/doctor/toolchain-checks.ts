import { isGoVersionAtLeast, MIN_GO_VERSION, parseGoVersion } from '../go/go-env.js';
import type { GoVersion } from '../go/types.js';
import type { DoctorCheck } from './types.js';

/** What running the go binary showed: its version, or why there is none. */
export type GoProbe =
  | { readonly status: 'found'; readonly goBin: string; readonly version: GoVersion }
  | { readonly status: 'missing'; readonly goBin: string }
  | { readonly status: 'not-runnable'; readonly goBin: string; readonly error: string }
  | { readonly status: 'version-unknown'; readonly goBin: string; readonly raw: string };

/** Go present, runnable and at least {@link MIN_GO_VERSION}. Pure. */
export function checkGo(probe: GoProbe): DoctorCheck {
  const id = 'go';
  switch (probe.status) {
    case 'missing':
      return { id, status: 'block', finding: { kind: 'go-missing', goBin: probe.goBin } };
    case 'not-runnable':
      return {
        id,
        status: 'block',
        finding: { kind: 'go-not-runnable', goBin: probe.goBin, error: probe.error },
      };
    case 'version-unknown':
      return {
        id,
        status: 'block',
        finding: { kind: 'go-version-unknown', goBin: probe.goBin, raw: probe.raw },
      };
    case 'found': {
      const old = !isGoVersionAtLeast(probe.version, MIN_GO_VERSION.major, MIN_GO_VERSION.minor);
      return {
        id,
        status: old ? 'block' : 'ok',
        finding: {
          kind: old ? 'go-too-old' : 'go-found',
          goBin: probe.goBin,
          version: probe.version.raw,
        },
      };
    }
  }
}

/** The facts the toolchain decision is made from. */
export interface ToolchainFacts {
  /** The installed go's own version (GOTOOLCHAIN=local). */
  readonly local: GoVersion;
  /** The GOTOOLCHAIN the user's go commands see (environment, go env -w, $GOROOT/go.env). */
  readonly gotoolchain: string;
  /** The `go` line of go.mod (or go.work), e.g. "1.22". */
  readonly goLine: string | undefined;
  /** The `toolchain` line, e.g. "go1.22.3". */
  readonly toolchainLine: string | undefined;
  /** The file those lines come from. */
  readonly file: string;
  readonly goproxy: string;
  /** True when an executable of this name (e.g. "go1.22.3") is on PATH. */
  readonly onPath: (name: string) => boolean;
  /** True when go downloaded this toolchain before (it is in the module cache). */
  readonly isCached: (name: string) => boolean;
}

/** Parses "1.22", "1.22.3", "go1.22rc1"; undefined when it is not a Go version. */
function versionOf(text: string | undefined): GoVersion | undefined {
  if (text === undefined || text === '' || text === 'default') return undefined;
  try {
    return parseGoVersion(text.startsWith('go') ? text : `go${text}`);
  } catch {
    return undefined;
  }
}

/** Orders Go versions; a pre-release comes before its release. */
export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d !== 0) return d;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === undefined) return 1;
  if (b.prerelease === undefined) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/** The toolchain name go picks for a go line: "1.21" is go1.21.0 from Go 1.21 on. */
function toolchainName(line: string): string {
  const bare = line.replace(/^go/, '');
  const v = versionOf(bare);
  const needsPatch = v !== undefined && /^\d+\.\d+$/.test(bare) && isGoVersionAtLeast(v, 1, 21);
  return `go${bare}${needsPatch ? '.0' : ''}`;
}

/** True when GOPROXY's first entry is "off": go downloads nothing, toolchains included. */
function proxyOff(goproxy: string): boolean {
  return goproxy.split(/[,|]/)[0]?.trim() === 'off';
}

/**
 * Whether the toolchain go.mod asks for can be used: GOTOOLCHAIN `local` refuses a go line
 * newer than the installed go, `path` only finds toolchains on PATH, `auto` downloads one
 * (through GOPROXY). Pure (docs/facts.md#toolchain-selection).
 */
export function checkToolchain(f: ToolchainFacts): DoctorCheck {
  const id = 'toolchain';
  const [nameRaw, suffix] = f.gotoolchain.split('+') as [string, string | undefined];
  const name = nameRaw === 'auto' || nameRaw === 'path' ? 'local' : nameRaw;
  const mode = nameRaw === 'auto' ? 'auto' : nameRaw === 'path' ? 'path' : (suffix ?? 'fixed');
  const goLine = versionOf(f.goLine);
  const base = name === 'local' ? f.local : (versionOf(name) ?? f.local);
  const ok: DoctorCheck = {
    id,
    status: 'ok',
    finding: {
      kind: 'toolchain-local',
      version: f.local.raw,
      gotoolchain: f.gotoolchain,
      wants: f.goLine,
    },
  };

  // Candidates, newest wins; a fixed GOTOOLCHAIN (no +auto/+path) is used whatever go.mod says.
  let wants = { version: base, name: name === 'local' ? f.local.raw : name, from: 'GOTOOLCHAIN' };
  if (mode !== 'fixed') {
    const toolchain = versionOf(f.toolchainLine);
    for (const [v, line] of [
      [goLine, f.goLine],
      [toolchain, f.toolchainLine],
    ] as const) {
      if (v !== undefined && line !== undefined && compareGoVersions(v, wants.version) > 0) {
        wants = { version: v, name: toolchainName(line), from: f.file };
      }
    }
  }
  const wantsNewerGo = goLine !== undefined && compareGoVersions(goLine, f.local) > 0;
  if (name === 'local' && mode === 'fixed') {
    // GOTOOLCHAIN=local: only the go line is enforced; a toolchain line is advice.
    if (!wantsNewerGo) return ok;
    return unavailable(f, toolchainName(f.goLine ?? ''), f.file, 'local');
  }
  if (compareGoVersions(wants.version, f.local) === 0) return ok;
  const switchTo = (via: 'path' | 'module-cache'): DoctorCheck => ({
    id,
    status: 'ok',
    finding: {
      kind: 'toolchain-switch',
      version: f.local.raw,
      gotoolchain: f.gotoolchain,
      wants: wants.name,
      wantsFrom: wants.from,
      via,
    },
  });
  if (mode === 'path') {
    return f.onPath(wants.name) ? switchTo('path') : unavailable(f, wants.name, wants.from, 'path');
  }
  if (f.isCached(wants.name)) return switchTo('module-cache');
  if (proxyOff(f.goproxy)) return unavailable(f, wants.name, wants.from, 'proxy-off');
  return {
    id,
    status: 'warn',
    finding: {
      kind: 'toolchain-download',
      version: f.local.raw,
      gotoolchain: f.gotoolchain,
      wants: wants.name,
      wantsFrom: wants.from,
    },
  };
}

function unavailable(
  f: ToolchainFacts,
  wants: string,
  wantsFrom: string,
  why: 'local' | 'path' | 'proxy-off',
): DoctorCheck {
  return {
    id: 'toolchain',
    status: 'block',
    finding: {
      kind: 'toolchain-unavailable',
      version: f.local.raw,
      gotoolchain: f.gotoolchain,
      wants,
      wantsFrom,
      why,
    },
  };
}

/**
 * The GOTOOLCHAIN go commands see, without running one that could switch: the environment
 * wins, then the user's go env file (`go env -w`), then $GOROOT/go.env; go's built-in
 * default is `local`. Pure.
 */
export function effectiveGoToolchain(
  env: NodeJS.ProcessEnv,
  goEnvFile: string | undefined,
  gorootEnvFile: string | undefined,
): string {
  const fromEnv = env.GOTOOLCHAIN;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  for (const text of [goEnvFile, gorootEnvFile]) {
    const m = /^GOTOOLCHAIN=(.*)$/m.exec(text ?? '');
    if (m?.[1] !== undefined && m[1].trim() !== '') return m[1].trim();
  }
  return 'local';
}
