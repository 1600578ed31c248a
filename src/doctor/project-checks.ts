import path from 'node:path';
import type { ResolvedGoProject } from '../go/types.js';
import type { DoctorCheck, StepError } from './types.js';

/** The outcome of one resolution step: its value, or the error it stopped with. */
export type StepResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: StepError };

/** Facts of the module check. */
export interface ModuleFacts {
  readonly cwd: string;
  readonly project: StepResult<ResolvedGoProject>;
  /** `go env GO111MODULE` (or the environment's, when go env failed). */
  readonly go111module: string;
  /** `go env GOPATH`: a list separated by ":". */
  readonly gopath: string;
  /** Directories just below cwd that hold a go.mod, relative to cwd ("backend"). */
  readonly nearby: readonly string[];
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The GOMOD/GOWORK/GOPATH situation: module mode, a go.mod above cwd, and whether the
 * module sits in GOPATH/src (where GO111MODULE=auto or a lost go.mod means GOPATH mode).
 * Pure.
 */
export function checkModule(f: ModuleFacts): DoctorCheck {
  const id = 'module';
  if (!f.project.ok) {
    const { error } = f.project;
    if (error.code === 'NOT_A_MODULE') {
      return {
        id,
        status: 'block',
        finding: { kind: 'gopath-mode', cwd: f.cwd, go111module: f.go111module },
      };
    }
    if (error.code === 'NO_GO_MOD') {
      return { id, status: 'block', finding: { kind: 'no-go-mod', cwd: f.cwd, nearby: f.nearby } };
    }
    return { id, status: 'block', finding: { kind: 'step-failed', error } };
  }
  const project = f.project.value;
  const src = f.gopath
    .split(path.delimiter)
    .filter((p) => p !== '')
    .map((p) => path.join(p, 'src'))
    .find((s) => isInside(project.moduleRoot, s));
  if (src !== undefined) {
    return {
      id,
      // Modules work there; with GO111MODULE=auto, a go.mod that goes missing means GOPATH mode.
      status: f.go111module === 'auto' ? 'warn' : 'ok',
      finding: { kind: 'in-gopath-src', moduleRoot: project.moduleRoot, gopathSrc: src },
    };
  }
  return {
    id,
    status: 'ok',
    finding: {
      kind: 'module',
      moduleRoot: project.moduleRoot,
      modulePath: project.modulePath,
      workFile: project.workFile,
      cwd: f.cwd,
    },
  };
}

/** A step whose failure stops `gohot run` (config, main package): block, else `ok(value)`. */
export function checkStep<T>(
  id: 'config' | 'main',
  result: StepResult<T>,
  ok: (value: T) => DoctorCheck['finding'],
): DoctorCheck {
  if (!result.ok)
    return { id, status: 'block', finding: { kind: 'step-failed', error: result.error } };
  return { id, status: 'ok', finding: ok(result.value) };
}

/**
 * The package graph (`go list`): without it gohot still reloads, on every save of a tracked
 * file, so a failure warns; the build usually fails the same way. Pure.
 */
export function checkPackages(result: StepResult<number>): DoctorCheck {
  if (!result.ok) {
    return {
      id: 'packages',
      status: 'warn',
      finding: { kind: 'packages-unusable', problem: result.error.message },
    };
  }
  return {
    id: 'packages',
    status: 'ok',
    finding: { kind: 'packages-listed', packages: result.value },
  };
}

/** Facts of the vendor check. */
export interface VendorFacts {
  /** vendor/modules.txt exists in the module root. */
  readonly hasVendor: boolean;
  /** The last -mod= of GOFLAGS and build.flags, e.g. "-mod=mod", or undefined. */
  readonly modFlag: string | undefined;
  /** stderr of `go list -mod=vendor` when it failed, else undefined. */
  readonly listError: string | undefined;
}

/**
 * A vendor directory out of sync with go.mod fails every build ("inconsistent vendoring"),
 * go's own check decides. A vendor directory that -mod=mod or -mod=readonly set aside is
 * not read. Pure (docs/facts.md#vendored-modules).
 */
export function checkVendor(f: VendorFacts): DoctorCheck {
  const id = 'vendor';
  if (!f.hasVendor) return { id, status: 'ok', finding: { kind: 'no-vendor' } };
  if (f.modFlag !== undefined && f.modFlag !== '-mod=vendor') {
    return { id, status: 'ok', finding: { kind: 'vendor-ignored', flag: f.modFlag } };
  }
  const problems = f.listError === undefined ? undefined : parseInconsistentVendoring(f.listError);
  if (problems === undefined) return { id, status: 'ok', finding: { kind: 'vendor-consistent' } };
  return { id, status: 'block', finding: { kind: 'vendor-inconsistent', problems } };
}

/**
 * The module lines of go's "inconsistent vendoring" error
 * (`example.com/x@v1.0.0: is explicitly required in go.mod, but ...`), or undefined when
 * `stderr` is not that error.
 */
export function parseInconsistentVendoring(stderr: string): string[] | undefined {
  const lines = stderr.split('\n');
  const start = lines.findIndex((l) => /inconsistent vendoring/.test(l));
  if (start === -1) return undefined;
  const problems: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const text = line.trim();
    if (text === '') break;
    problems.push(text);
  }
  return problems;
}

/** The last `-mod=` flag of GOFLAGS and then the build flags (later flags win). */
export function lastModFlag(
  goflags: readonly string[],
  buildFlags: readonly string[],
): string | undefined {
  return [...goflags, ...buildFlags]
    .filter((f) => /^--?mod=/.test(f))
    .at(-1)
    ?.replace(/^--/, '-');
}
