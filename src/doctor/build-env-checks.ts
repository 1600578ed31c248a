import path from 'node:path';
import type { DoctorCheck, GoCacheProblem, NotableGoFlag } from './types.js';

/** Splits GOFLAGS the way the go command does: on spaces and tabs. */
export function splitGoFlags(goflags: string): string[] {
  return goflags.split(/[ \t]+/).filter((f) => f !== '');
}

/**
 * GOFLAGS that change what gohot's builds do: -mod=vendor, -mod=mod, -tags (replaced by
 * `--tags` / build.tags: flags on the command line override GOFLAGS). A flag no go command
 * knows makes every go command fail (`rejected`, go's message): that blocks. Pure.
 */
export function checkGoFlags(goflags: string, rejected?: string): DoctorCheck {
  const notable: NotableGoFlag[] = [];
  for (const flag of splitGoFlags(goflags)) {
    const f = flag.replace(/^--/, '-');
    if (f === '-mod=vendor') notable.push({ kind: 'mod-vendor', flag });
    else if (f === '-mod=mod') notable.push({ kind: 'mod-mod', flag });
    else if (f.startsWith('-tags=') || f === '-tags') notable.push({ kind: 'tags', flag });
  }
  return {
    id: 'goflags',
    status: rejected !== undefined ? 'block' : notable.length > 0 ? 'warn' : 'ok',
    finding: { kind: 'goflags', goflags, notable, rejected },
  };
}

/**
 * GOPROXY=off: nothing can be downloaded, so a new import or require fails the build
 * ("module lookup disabled by GOPROXY=off"), and with -mod=mod so does any missing go.sum
 * line. A warning: what is in the module cache still builds. Pure.
 */
export function checkGoProxy(goproxy: string, goflags: string): DoctorCheck {
  const off = goproxy.split(/[,|]/)[0]?.trim() === 'off';
  const modMod = splitGoFlags(goflags).some((f) => f.replace(/^--/, '-') === '-mod=mod');
  return {
    id: 'goproxy',
    status: off ? 'warn' : 'ok',
    finding: { kind: 'goproxy', goproxy, modMod },
  };
}

/** Facts of the cgo check. */
export interface CgoFacts {
  /** `go env CGO_ENABLED` with the build's environment. */
  readonly cgoEnabled: string;
  /** `go env CC`. */
  readonly cc: string;
  /** Where the compiler's executable was found, or undefined. */
  readonly found: string | undefined;
}

/**
 * CGO_ENABLED=1 with no C compiler: every build that uses cgo fails (net and os/user do,
 * and so does runtime/cgo), `cgo: C compiler "..." not found`. Pure.
 */
export function checkCgo(f: CgoFacts): DoctorCheck {
  if (f.cgoEnabled !== '1') return { id: 'cgo', status: 'ok', finding: { kind: 'cgo-disabled' } };
  return {
    id: 'cgo',
    status: f.found === undefined ? 'block' : 'ok',
    finding: { kind: 'cgo-compiler', cc: f.cc, found: f.found },
  };
}

/** The compiler's executable of a CC value: its first word ("gcc -m64" runs gcc). */
export function ccExecutable(cc: string): string {
  return cc.trim().split(/\s+/)[0] ?? '';
}

/** Whether GOCACHE is writable, from a probe of the directory or its nearest existing parent. */
export type WritableProbe =
  | { readonly ok: true }
  | { readonly ok: false; readonly at: string; readonly code: string };

/** Why `dir` cannot be go's build cache, or undefined when it can. Pure. */
export function goCacheProblem(dir: string, probe: WritableProbe): GoCacheProblem | undefined {
  if (dir === 'off') return { by: 'off' };
  if (dir === '') return { by: 'unset' };
  if (!path.isAbsolute(dir)) return { by: 'relative' };
  return probe.ok ? undefined : { by: 'not-writable', at: probe.at, code: probe.code };
}

/** GOCACHE must be an absolute, writable directory, or every build fails. Pure. */
export function checkGoCache(dir: string, probe: WritableProbe): DoctorCheck {
  const problem = goCacheProblem(dir, probe);
  return {
    id: 'gocache',
    status: problem === undefined ? 'ok' : 'block',
    finding: { kind: 'gocache', dir, problem },
  };
}
