import type { BackendReason } from '../watch/types.js';

/**
 * How a check came out: `ok`, `warn` (reloading works, but slower or with a surprise), or
 * `block` (gohot run would fail to start, or no build could succeed).
 */
export type CheckStatus = 'ok' | 'warn' | 'block';

/** The stable identifiers of the checks, in report order (docs/doctor.md). */
export const CHECK_IDS = [
  'go',
  'toolchain',
  'module',
  'config',
  'main',
  'packages',
  'goflags',
  'goproxy',
  'vendor',
  'cgo',
  'gocache',
  'inotify',
  'filesystem',
  'mtime',
  'ulimit',
] as const;

/** One check's stable identifier. */
export type CheckId = (typeof CHECK_IDS)[number];

/** A problem a resolution step reported, as a value (a GohotError's code, message and hint). */
export interface StepError {
  readonly code: string;
  readonly message: string;
  readonly hint: string | undefined;
}

/** A GOFLAGS entry that changes what gohot's builds do. */
export type NotableGoFlag =
  | { readonly kind: 'mod-vendor'; readonly flag: string }
  | { readonly kind: 'mod-mod'; readonly flag: string }
  | { readonly kind: 'tags'; readonly flag: string };

/** Why a GOCACHE cannot hold go's build cache. */
export type GoCacheProblem =
  | { readonly by: 'off' }
  | { readonly by: 'unset' }
  | { readonly by: 'relative' }
  | { readonly by: 'not-writable'; readonly at: string; readonly code: string };

/**
 * What a check found: the facts behind its status, as values. `report/doctor-text.ts` turns
 * them into a title, a detail and a fix.
 */
export type Finding =
  // go
  | { readonly kind: 'go-found'; readonly goBin: string; readonly version: string }
  | { readonly kind: 'go-missing'; readonly goBin: string }
  | { readonly kind: 'go-not-runnable'; readonly goBin: string; readonly error: string }
  | { readonly kind: 'go-too-old'; readonly goBin: string; readonly version: string }
  | { readonly kind: 'go-version-unknown'; readonly goBin: string; readonly raw: string }
  // toolchain
  | {
      readonly kind: 'toolchain-local';
      readonly version: string;
      readonly gotoolchain: string;
      readonly wants: string | undefined;
    }
  | {
      readonly kind: 'toolchain-unavailable';
      readonly version: string;
      readonly gotoolchain: string;
      readonly wants: string;
      readonly wantsFrom: string;
      /** local: GOTOOLCHAIN forbids switching; path: not on PATH; proxy-off: no download. */
      readonly why: 'local' | 'path' | 'proxy-off';
    }
  | {
      /** go switches to a toolchain it has: on PATH, or downloaded before (the module cache). */
      readonly kind: 'toolchain-switch';
      readonly version: string;
      readonly gotoolchain: string;
      readonly wants: string;
      readonly wantsFrom: string;
      readonly via: 'path' | 'module-cache';
    }
  | {
      readonly kind: 'toolchain-download';
      readonly version: string;
      readonly gotoolchain: string;
      readonly wants: string;
      readonly wantsFrom: string;
    }
  // module
  | {
      readonly kind: 'module';
      readonly moduleRoot: string;
      readonly modulePath: string;
      readonly workFile: string | undefined;
      readonly cwd: string;
    }
  | { readonly kind: 'gopath-mode'; readonly cwd: string; readonly go111module: string }
  | { readonly kind: 'no-go-mod'; readonly cwd: string; readonly nearby: readonly string[] }
  | {
      readonly kind: 'in-gopath-src';
      readonly moduleRoot: string;
      readonly gopathSrc: string;
    }
  | { readonly kind: 'step-failed'; readonly error: StepError }
  // config
  | { readonly kind: 'config-loaded'; readonly source: string | undefined }
  // main
  | { readonly kind: 'main-found'; readonly relPath: string; readonly importPath: string }
  // packages
  | { readonly kind: 'packages-listed'; readonly packages: number }
  | { readonly kind: 'packages-unusable'; readonly problem: string }
  // goflags
  | {
      readonly kind: 'goflags';
      readonly goflags: string;
      readonly notable: readonly NotableGoFlag[];
      /** go's error when it refuses GOFLAGS ("go: parsing $GOFLAGS: unknown flag -x"). */
      readonly rejected: string | undefined;
    }
  // goproxy
  | { readonly kind: 'goproxy'; readonly goproxy: string; readonly modMod: boolean }
  // vendor
  | { readonly kind: 'no-vendor' }
  | { readonly kind: 'vendor-ignored'; readonly flag: string }
  | { readonly kind: 'vendor-consistent' }
  | { readonly kind: 'vendor-inconsistent'; readonly problems: readonly string[] }
  // cgo
  | { readonly kind: 'cgo-disabled' }
  | { readonly kind: 'cgo-compiler'; readonly cc: string; readonly found: string | undefined }
  // gocache
  | { readonly kind: 'gocache'; readonly dir: string; readonly problem: GoCacheProblem | undefined }
  // inotify
  | { readonly kind: 'inotify-unknown' }
  | {
      readonly kind: 'inotify';
      /** Directories the native roots would watch (one watch each). */
      readonly dirs: number;
      readonly maxUserWatches: number | undefined;
      readonly watchesInUse: number;
      readonly maxUserInstances: number | undefined;
      readonly instancesInUse: number;
      readonly short: 'none' | 'watches' | 'instances';
    }
  // filesystem
  | {
      readonly kind: 'backend';
      readonly root: string;
      readonly backend: 'native' | 'poll';
      readonly reason: BackendReason;
    }
  // mtime
  | {
      readonly kind: 'mtime';
      readonly root: string;
      /** The coarsest of the stamps' unit and the smallest step seen between them. */
      readonly granularityNs: number;
      readonly samples: number;
    }
  | { readonly kind: 'mtime-unmeasured'; readonly root: string; readonly code: string }
  // ulimit
  | { readonly kind: 'ulimit'; readonly soft: number; readonly hard: number | undefined }
  | { readonly kind: 'ulimit-unknown' };

/** The result of one check: its id, its status and what it found. */
export interface DoctorCheck {
  readonly id: CheckId;
  readonly status: CheckStatus;
  readonly finding: Finding;
}

/** Everything `gohot doctor` found, in {@link CHECK_IDS} order. */
export interface DoctorReport {
  /** Directory doctor was run for (after -C). */
  readonly cwd: string;
  readonly checks: readonly DoctorCheck[];
  /** Checks that could not run because an earlier one failed, with the one that failed. */
  readonly skipped: readonly { readonly id: CheckId; readonly after: CheckId }[];
}

/** The worst status of a report: `block` when any check blocks. */
export function worstStatus(checks: readonly DoctorCheck[]): CheckStatus {
  if (checks.some((c) => c.status === 'block')) return 'block';
  return checks.some((c) => c.status === 'warn') ? 'warn' : 'ok';
}
