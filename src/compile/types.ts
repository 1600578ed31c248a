import type { Diagnostic } from '../go/types.js';

/** Everything needed to run one `go build`. */
export interface BuildSpec {
  readonly goBin: string;
  /** Directory go build runs in (the module root). */
  readonly cwd: string;
  /** Package to build, as given to go build (e.g. "./cmd/api"). */
  readonly pkg: string;
  /** Absolute output path, outside the repository. */
  readonly output: string;
  /** Extra flags passed verbatim before the package, e.g. ["-race"]. */
  readonly flags: readonly string[];
  readonly tags: readonly string[];
  /** Passed as -ldflags when non-empty. */
  readonly ldflags: string;
  /** Adds -buildvcs=false unless true. */
  readonly buildvcs: boolean;
  /** Use `go build -json` (Go >= 1.24). */
  readonly json: boolean;
  /** Add `-v`, so go names each package it compiles (progress). @default false */
  readonly progress?: boolean;
  /** Full environment of the go process. */
  readonly env: NodeJS.ProcessEnv;
  /** Where go writes its own trace (`-debug-trace`); absent: no trace. @default undefined */
  readonly debugTrace?: string | undefined;
}

/** The outcome of one build. A compile error is a value, not an exception. */
export type BuildResult =
  | { readonly status: 'ok'; readonly output: string; readonly durationMs: number }
  | {
      readonly status: 'failed';
      readonly diagnostics: readonly Diagnostic[];
      /** The go command's complete text output, as it would print it. */
      readonly text: string;
      readonly exitCode: number | null;
      readonly durationMs: number;
    }
  | {
      readonly status: 'cancelled';
      /** Why: the `reason` of the AbortSignal that cancelled it (the scheduler says what superseded it). */
      readonly reason: unknown;
      readonly durationMs: number;
    };
