import type { ConfigFile } from '../config/types.js';
import type { RegexConversion } from './air-regex.js';

/** What became of one air key. */
export type AirNoteKind = 'mapped' | 'not-needed' | 'unsupported' | 'unknown';

/** A command as gohot would write it: an argument array, `["sh", "-c", "..."]` for shell text. */
export type Argv = readonly string[];

/** Why a key was mapped, not needed, unsupported or unknown; turned into words in src/report/. */
export type AirReason =
  // mapped
  | { readonly by: 'mapped'; readonly to: readonly string[] }
  | { readonly by: 'air-default'; readonly to: readonly string[]; readonly value: unknown }
  | {
      readonly by: 'go-build';
      readonly to: readonly string[];
      /** Commands chained before it: they become `hooks.beforeBuild`. */
      readonly before: readonly Argv[];
      /** Commands chained after it: they become `hooks.afterBuild`. */
      readonly after: readonly Argv[];
      /** Commands chained with `|` or `||`, which no hook reproduces: not converted. */
      readonly others: readonly Argv[];
      /** `cmd /c` or `sh -c` that was stripped. */
      readonly wrapper: string | undefined;
      /** Flags dropped because gohot reports the build itself (-v, -x). */
      readonly dropped: readonly string[];
      /** The package was given as .go files; gohot builds their directory. */
      readonly files: boolean;
    }
  | {
      readonly by: 'include-ext';
      readonly built: readonly string[];
      readonly restart: readonly string[];
    }
  | { readonly by: 'exclude-regex'; readonly regex: string; readonly conversion: RegexConversion }
  | { readonly by: 'delay'; readonly ms: number }
  | { readonly by: 'kill-delay'; readonly ms: number; readonly raw: number | string }
  | { readonly by: 'binary-args'; readonly to: readonly string[]; readonly args: readonly string[] }
  | { readonly by: 'poll-interval'; readonly ms: number; readonly raised: boolean }
  | { readonly by: 'root-prefix'; readonly root: string }
  | { readonly by: 'skip-dir'; readonly dir: string; readonly what: 'tmp_dir' | 'testdata_dir' }
  | {
      /** air's `pre_cmd`: every command, in order, before each build. */
      readonly by: 'pre-cmd';
      readonly commands: readonly Argv[];
    }
  | {
      readonly by: 'env-files';
      /** The files as gohot.json names them (relative to the module root). */
      readonly files: readonly string[];
    }
  | {
      /** `godotenv -f a,b ./tmp/main args`: the files, in gohot's order, and the app's arguments. */
      readonly by: 'env-wrapper';
      readonly tool: string;
      readonly files: readonly string[];
      readonly to: readonly string[];
      readonly args: readonly string[];
    }
  | {
      readonly by: 'air-rule';
      readonly name: string;
      readonly on: readonly string[];
      readonly run: Argv;
      /** exclude_regex entries no glob expresses: left out. */
      readonly left: readonly string[];
    }
  | { readonly by: 'proxy-listen'; readonly listen: string }
  | { readonly by: 'proxy-target'; readonly target: string }
  | { readonly by: 'proxy-hold'; readonly ms: number }
  // not needed
  | { readonly by: 'same-as-gohot' }
  | { readonly by: 'gohot-binary' }
  | { readonly by: 'content-hash' }
  | { readonly by: 'module-root-only' }
  | { readonly by: 'symlinks' }
  | { readonly by: 'no-log-file' }
  | { readonly by: 'graceful-stop' }
  | { readonly by: 'kill-delay-zero' }
  | { readonly by: 'only-with'; readonly other: string }
  | { readonly by: 'time-stamps' }
  | { readonly by: 'own-colours' }
  | { readonly by: 'run-dir-outside' }
  | { readonly by: 'no-banner' }
  | { readonly by: 'other-platform'; readonly os: string }
  | { readonly by: 'delay-zero' }
  | { readonly by: 'overridden-by'; readonly other: string }
  // unsupported
  | {
      /** A `cmd` with no go build in it (`make build`): gohot builds with go build itself. */
      readonly by: 'not-go-build';
      readonly commands: readonly Argv[];
    }
  /** air's `post_cmd` runs once when air exits; gohot has no hook for that. */
  | { readonly by: 'on-exit'; readonly commands: readonly Argv[] }
  | { readonly by: 'air-rules' }
  | { readonly by: 'env-override'; readonly tool: string }
  | { readonly by: 'proxy-port-missing'; readonly key: string }
  | { readonly by: 'wrapper'; readonly tool: string; readonly debug: boolean }
  | { readonly by: 'opaque-command'; readonly command: Argv; readonly what: string }
  | { readonly by: 'keeps-app' }
  | { readonly by: 'no-rerun' }
  | { readonly by: 'no-quiet-mode' }
  | { readonly by: 'color-mode'; readonly mode: string }
  | { readonly by: 'no-clear-screen' }
  | { readonly by: 'outside-root'; readonly path: string }
  | { readonly by: 'not-a-glob'; readonly pattern: string; readonly what: string }
  | { readonly by: 'wrong-type'; readonly expected: string }
  // unknown
  | {
      readonly by: 'unknown-key';
      readonly table: boolean;
      /** A near air key or table, for did-you-mean. */
      readonly suggestion: string | undefined;
    };

/** One line of the conversion report: an air key (`build.cmd`) and what became of it. */
export interface AirNote {
  readonly key: string;
  readonly kind: AirNoteKind;
  readonly reason: AirReason;
  /** The file does not set the key: this is what air's default for it becomes. */
  readonly defaulted?: true;
}

/** A cross-key problem the user should look at. */
export type AirWarning =
  | {
      readonly by: 'output-mismatch';
      readonly output: string;
      readonly bin: string;
      readonly binKey: string;
    }
  | { readonly by: 'cross-compile'; readonly name: string; readonly value: string }
  | { readonly by: 'several-mains'; readonly chosen: string; readonly others: readonly string[] }
  | { readonly by: 'no-main'; readonly source: 'cmd' | 'detected' }
  /** exclude_dir names a directory an air rule watches: left out of watch.patterns. */
  | { readonly by: 'rule-dir-excluded'; readonly dir: string }
  | {
      /** beforeBuild hooks exist, and changes of these restart without a build (so without them). */
      readonly by: 'hooks-restart-only';
      readonly restartOnly: readonly string[];
    };

/** The outcome of converting a parsed `.air.toml`. */
export interface AirConversion {
  readonly config: ConfigFile;
  /** In the order of the keys in the file, then keys whose air default was applied. */
  readonly notes: readonly AirNote[];
  readonly warnings: readonly AirWarning[];
}

/** True when no key of the file is one air reads: the file belongs to another tool. */
export function isOtherToolConfig(conversion: AirConversion): boolean {
  const own = conversion.notes.filter((n) => n.defaulted !== true);
  return own.length > 0 && own.every((n) => n.kind === 'unknown');
}
