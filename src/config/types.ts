import type { BackendChoice } from '../watch/types.js';

/** Signals gohot.json accepts for `run.stopSignal`, in the order error messages list them. */
export const STOP_SIGNALS = [
  'SIGTERM',
  'SIGINT',
  'SIGQUIT',
  'SIGHUP',
  'SIGUSR1',
  'SIGUSR2',
] as const;

/** One of {@link STOP_SIGNALS}. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** File names gohot reads from the module root, in order of precedence. */
export const CONFIG_FILE_NAMES = ['gohot.json', 'codebuddy.json'] as const;

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
    /** Keep DWARF for debuggers; otherwise gohot links with "-s -w" (faster). @default false */
    readonly debug?: boolean;
  };
  readonly run?: {
    /** Arguments for the app. @default [] */
    readonly args?: readonly string[];
    /** Extra environment for the app. @default {} */
    readonly env?: Readonly<Record<string, string>>;
    /** Signal sent to the app's process group on restart and exit. @default "SIGTERM" */
    readonly stopSignal?: StopSignal;
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
    /**
     * Globs of files read at start-up (templates, config files): a change restarts the app
     * without a build. @default []
     */
    readonly restartOnly?: readonly string[];
    /** Comment edits that move line numbers: "rebuild" (panics and logs name lines) or "ignore". @default "rebuild" */
    readonly lineShifts?: 'rebuild' | 'ignore';
  };
  readonly proxy?: {
    /** Where the browser live-reload proxy listens: "3000", "127.0.0.1:3000"; loopback unless a host is named. */
    readonly listen?: string;
    /** The app's address the proxy forwards to: "http://127.0.0.1:8080" or "8080". */
    readonly target?: string;
    /** How long a request waits for a restarting app before it is forwarded anyway. @default "5s" */
    readonly holdTimeout?: string;
    /** Link of a diagnostic in the overlay; {abs}, {rel}, {line}, {col} are filled in. @default "vscode://file/{abs}:{line}:{col}" */
    readonly editorUrl?: string;
    /**
     * Globs (like watch.patterns) of static files the app serves from disk: a change reloads
     * the pages (stylesheets are swapped in place) without a build or restart. @default []
     */
    readonly reloadOnly?: readonly string[];
  };
}

/** An address to listen on. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** The proxy's settings, resolved: present only when a listen address is given. */
export interface ResolvedProxy {
  readonly listen: ListenAddress;
  /** The app's origin, `http://host:port`. */
  readonly target: string;
  readonly holdTimeoutMs: number;
  readonly editorUrl: string;
  readonly reloadOnly: readonly string[];
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
    readonly debug: boolean;
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
    readonly restartOnly: readonly string[];
    readonly lineShifts: 'rebuild' | 'ignore';
  };
  /** The browser live-reload proxy; undefined when none is asked for. */
  readonly proxy: ResolvedProxy | undefined;
}

/** Command-line overrides; undefined means "not given". */
export interface ConfigOverrides {
  readonly main?: string;
  readonly args?: readonly string[];
  readonly tags?: readonly string[];
  readonly buildFlags?: readonly string[];
  /** --debug: keep DWARF. */
  readonly debug?: boolean;
  readonly quietWindowMs?: number;
  readonly backend?: BackendChoice;
  /** Where `backend` came from, for the start-up line: "--poll", "GOHOT_POLL=1" ... */
  readonly backendSource?: string;
  readonly pollIntervalMs?: number;
  readonly stopSignal?: NodeJS.Signals;
  readonly stopTimeoutMs?: number;
  /** --proxy, as written. */
  readonly proxyListen?: string;
  /** --proxy-target, as written. */
  readonly proxyTarget?: string;
}

/** Where a loaded configuration came from; `none` means no file, so pure defaults. */
export type LoadedConfig =
  | {
      /** gohot.json in the module root: the whole file is read. */
      readonly kind: 'gohot.json';
      /** Absolute path of the file. */
      readonly path: string;
      readonly file: ConfigFile;
    }
  | {
      /** No gohot.json, but a codebuddy.json with a `go.watch.patterns` key; only that key is read. */
      readonly kind: 'codebuddy.json';
      /** Absolute path of the file. */
      readonly path: string;
      readonly file: ConfigFile;
    }
  | { readonly kind: 'none'; readonly path: undefined; readonly file: undefined };

/** Watch patterns used when the config names none. */
export const DEFAULT_PATTERNS: readonly string[] = Object.freeze([
  '**/*.go',
  '**/go.mod',
  '**/go.sum',
  'go.work',
  'go.work.sum',
  '**/*.{c,h,s,S,cc,cpp,hpp,m,syso}',
  // Vendored code changes only through `go mod vendor`, which rewrites modules.txt: watch
  // that one file instead of every vendored package (docs/facts.md#vendored-modules).
  'vendor/modules.txt',
  '!vendor/**',
  '!**/*_test.go',
]);
