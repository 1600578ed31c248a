import type { BackendChoice } from '../watch/types.js';

/** gohot.json as the user writes it. Every key is optional. */
export interface ConfigFile {
  /** JSON Schema reference for editors; ignored by gohot. */
  readonly $schema?: string;
  /** Main package to build, e.g. "./cmd/api". @default the module's only main package */
  readonly main?: string;
  readonly build?: {
    /** Extra go build flags, e.g. ["-race"]. @default [] */
    readonly flags?: readonly string[];
    /** Build tags. @default [] */
    readonly tags?: readonly string[];
    /** -ldflags value. @default "" */
    readonly ldflags?: string;
    /** Extra environment for go build, e.g. {"CGO_ENABLED": "0"}. @default {} */
    readonly env?: Readonly<Record<string, string>>;
    /** Stamp VCS info (-buildvcs). @default false */
    readonly buildvcs?: boolean;
  };
  readonly run?: {
    /** Arguments for the app. @default [] */
    readonly args?: readonly string[];
    /** Extra environment for the app. @default {} */
    readonly env?: Readonly<Record<string, string>>;
    /** Signal sent to the app's process group on restart and exit. @default "SIGTERM" */
    readonly stopSignal?: 'SIGTERM' | 'SIGINT' | 'SIGQUIT' | 'SIGHUP' | 'SIGUSR1' | 'SIGUSR2';
    /** Grace period before SIGKILL, with unit. @default "3s" */
    readonly stopTimeout?: string;
  };
  readonly watch?: {
    /** Ordered globs relative to the module root; "!" negates. @default DEFAULT_PATTERNS */
    readonly patterns?: readonly string[];
    /** Trailing quiet window before a build starts, with unit; "0" means none. @default "10ms" */
    readonly quietWindow?: string;
    /** Watcher backend: "auto", "native" or "poll" (true = "poll", false = "native"). @default "auto" */
    readonly poll?: boolean | BackendChoice;
    /** Poll sweep interval, with unit. @default "500ms" */
    readonly pollInterval?: string;
  };
}

/** The same, with every default filled, durations in ms, and frozen. */
export interface ResolvedConfig {
  /** Absolute path of the file it came from, or undefined for pure defaults. */
  readonly source: string | undefined;
  readonly main: string | undefined;
  readonly build: {
    readonly flags: readonly string[];
    readonly tags: readonly string[];
    readonly ldflags: string;
    readonly env: Readonly<Record<string, string>>;
    readonly buildvcs: boolean;
  };
  readonly run: {
    readonly args: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    readonly stopSignal: NodeJS.Signals;
    readonly stopTimeoutMs: number;
  };
  readonly watch: {
    readonly patterns: readonly string[];
    readonly quietWindowMs: number;
    readonly backend: BackendChoice;
    readonly pollIntervalMs: number;
  };
}

/** Command-line overrides; undefined means "not given". */
export interface ConfigOverrides {
  readonly main?: string;
  readonly args?: readonly string[];
  readonly tags?: readonly string[];
  readonly buildFlags?: readonly string[];
  readonly quietWindowMs?: number;
  readonly backend?: BackendChoice;
  readonly pollIntervalMs?: number;
  readonly stopSignal?: NodeJS.Signals;
  readonly stopTimeoutMs?: number;
}

/** Watch patterns used when the config names none. */
export const DEFAULT_PATTERNS: readonly string[] = [
  '**/*.go',
  '**/go.mod',
  '**/go.sum',
  'go.work',
  'go.work.sum',
  '**/*.{c,h,s,S,cc,cpp,hpp,m,syso}',
  '**/vendor/modules.txt',
  '!**/*_test.go',
];
