import type { ReadyCheck } from '../run/readiness.js';
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
    /** Program that wraps every tool go build runs (-toolexec): a string or an argv array. */
    readonly toolexec?: string | readonly string[];
    /** -gcflags value, e.g. "all=-N -l". @default "" */
    readonly gcflags?: string;
    /** -asmflags value. @default "" */
    readonly asmflags?: string;
    /** Remove file system paths from the binary (-trimpath). @default false */
    readonly trimpath?: boolean;
    /** Enable the race detector (-race). @default false */
    readonly race?: boolean;
    /** Build with coverage instrumentation (-cover). @default false */
    readonly cover?: boolean;
    /** .env file(s) for go build, relative to the module root; `build.env` wins. @default [] */
    readonly envFile?: string | readonly string[];
  };
  /** Generators run before the build, in order, for the changes that match them. @default [] */
  readonly rules?: readonly RuleOptions[];
  readonly hooks?: {
    /** Command(s) run before every build, after the rules. @default [] */
    readonly beforeBuild?: HookCommands;
    /** Command(s) run after every successful build. @default [] */
    readonly afterBuild?: HookCommands;
    /** Command(s) run before every start of the app (a migration); a failure keeps the old app. @default [] */
    readonly beforeStart?: HookCommands;
    /** Longest run of each command, with unit. @default "2m" */
    readonly timeout?: string;
  };
  readonly run?: {
    /** Arguments for the app. @default [] */
    readonly args?: readonly string[];
    /** Extra environment for the app. @default {} */
    readonly env?: Readonly<Record<string, string>>;
    /** .env file(s) for the app, relative to the module root; `run.env` wins. @default [] */
    readonly envFile?: string | readonly string[];
    /** Signal sent to the app's process group on restart and exit. @default "SIGTERM" */
    readonly stopSignal?: StopSignal;
    /** Grace period before SIGKILL, with unit. @default "3s" */
    readonly stopTimeout?: string;
    /**
     * Sockets gohot opens and hands to every app process it starts (systemd socket
     * activation: LISTEN_FDS, LISTEN_FDNAMES, LISTEN_PID, descriptors from 3): clients of
     * the app wait during a restart instead of getting "connection refused". Each entry is
     * an address ("8080", "127.0.0.1:8080", loopback unless a host is named), optionally
     * named: "metrics=127.0.0.1:9090". Read at start-up. @default []
     */
    readonly listen?: readonly string[];
    /** When a started app counts as ready: one of http, tcp or log. @default as soon as it is spawned */
    readonly ready?: {
      /** An HTTP(S) URL that answers with a status below 500. */
      readonly http?: string;
      /** A `host:port` that accepts TCP connections. */
      readonly tcp?: string;
      /** A regular expression a line of the app's stdout or stderr matches. */
      readonly log?: string;
      /** How long to wait for it, with unit. @default "30s" */
      readonly timeout?: string;
    };
  };
  readonly watch?: {
    /** Ordered globs relative to the module root; "!" negates. @default DEFAULT_PATTERNS */
    readonly patterns?: readonly string[];
    /** Trailing quiet window before a build starts, with unit; "0" means none. @default "10ms" */
    readonly quietWindow?: string;
    /**
     * A lone change (nothing else changed within the quiet window) starts its build at once;
     * the window runs alongside it and a change within it cancels the young build. @default true
     */
    readonly leadingEdge?: boolean;
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

/** One socket of `run.listen`, resolved. */
export interface ListenSocket extends ListenAddress {
  /** Its LISTEN_FDNAMES entry. */
  readonly name: string;
}

/** The proxy's settings, resolved: present only when a listen address is given. */
export interface ResolvedProxy {
  readonly listen: ListenAddress;
  /** The app's origin, `http://host:port`. */
  readonly target: string;
  readonly holdTimeoutMs: number;
  readonly editorUrl: string;
  readonly reloadOnly: readonly string[];
  /**
   * The target is a socket of `run.listen`: gohot holds it, so a connection to it succeeds
   * whether an app runs or not.
   */
  readonly targetHeld: boolean;
}

/** One command as an argument array, or a list of them run in order. */
export type HookCommands = readonly string[] | readonly (readonly string[])[];

/** When a hook runs. */
export const HOOK_NAMES = ['beforeBuild', 'afterBuild', 'beforeStart'] as const;

/** One of {@link HOOK_NAMES}. */
export type HookName = (typeof HOOK_NAMES)[number];

/** One generator rule as the user writes it in `rules`. */
export interface RuleOptions {
  /** Shown in reload lines and errors, e.g. "templ". */
  readonly name: string;
  /** Globs relative to the module root (watch.patterns semantics) whose changes run the rule. */
  readonly on: readonly string[];
  /** The command as an argument array, never a shell string, e.g. ["templ", "generate"]. */
  readonly run: readonly string[];
  /** Working directory, relative to the module root. @default the module root */
  readonly cwd?: string;
  /** Extra environment for the command. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Longest run, with unit; past it the rule fails. @default "2m" */
  readonly timeout?: string;
}

/** A rule with its defaults filled. */
export interface ResolvedRule {
  readonly name: string;
  readonly on: readonly string[];
  readonly run: readonly string[];
  /** As written, relative to the module root; "" for the module root. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
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
    /** The -toolexec command as an argv array; empty when not set. */
    readonly toolexec: readonly string[];
    readonly gcflags: string;
    readonly asmflags: string;
    readonly trimpath: boolean;
    readonly race: boolean;
    readonly cover: boolean;
    /** .env files as written, relative to the module root. */
    readonly envFiles: readonly string[];
  };
  readonly rules: readonly ResolvedRule[];
  readonly hooks: {
    readonly beforeBuild: readonly (readonly string[])[];
    readonly afterBuild: readonly (readonly string[])[];
    readonly beforeStart: readonly (readonly string[])[];
    readonly timeoutMs: number;
  };
  readonly run: {
    readonly args: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    /** .env files as written, relative to the module root. */
    readonly envFiles: readonly string[];
    readonly stopSignal: NodeJS.Signals;
    readonly stopTimeoutMs: number;
    readonly ready: ReadyCheck;
    /** `run.listen`, resolved; empty when the app opens its own sockets. */
    readonly listen: readonly ListenSocket[];
  };
  readonly watch: {
    readonly patterns: readonly string[];
    readonly quietWindowMs: number;
    readonly leadingEdge: boolean;
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
  /** --ready-url, --ready-tcp or --ready-log: replaces `run.ready`'s check. */
  readonly ready?: { readonly kind: 'http' | 'tcp' | 'log'; readonly value: string };
  /** --ready-timeout. */
  readonly readyTimeoutMs?: number;
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
