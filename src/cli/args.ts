import { parseArgs } from 'node:util';
import type { ConfigOverrides } from '../config/types.js';
import { parseDurationMs } from '../duration.js';
import { GohotError } from '../errors.js';
import type { BackendChoice } from '../watch/types.js';

/** What the command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      /** Directory to run in (-C). */
      readonly dir: string | undefined;
      readonly verbose: boolean;
      /** undefined = decide from the terminal and NO_COLOR. */
      readonly color: boolean | undefined;
      readonly overrides: ConfigOverrides;
    };

export const USAGE = `gohot: rebuild and restart a Go program on every relevant save.

Usage:
  gohot [run] [package] [flags] [-- app arguments]

  package              main package to build, e.g. ./cmd/api
                       (default: "main" in gohot.json, else ".", else the only main package)

Flags:
  -C, --dir <dir>          run as if gohot was started in <dir>
      --poll               watch by polling (for Docker/VM/WSL/NFS mounts)
      --native             watch with inotify only (no automatic polling fallback)
      --poll-interval <d>  polling sweep interval (default 500ms)
      --quiet-window <d>   wait this long after the last change before building (default 10ms; 0 = none)
      --tags <a,b>         build tags
      --build-flag=<flag>  extra go build flag, repeatable (e.g. --build-flag=-race)
      --debug              keep DWARF debug info (for delve); default builds use -ldflags="-s -w"
      --stop-signal <sig>  signal sent to the app on restart (default SIGTERM)
      --stop-timeout <d>   grace period before SIGKILL (default 3s)
  -v, --verbose            show every watcher and scheduler decision
      --no-color           plain output (also: NO_COLOR=1)
  -h, --help               this help
      --version            print the version

Environment: GOHOT_POLL=1 forces polling, GOHOT_POLL=0 forces inotify; GOHOT_GO picks the go binary.
Durations carry a unit: 0, 20ms, 1.5s, 2m. Keys while running: r + Enter rebuilds.`;

const SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2']);

function usageError(message: string): GohotError {
  return new GohotError('CLI_USAGE', message, 'Run `gohot --help` for the list of flags.');
}

/** Parses gohot's argv (without node and the script). Pure apart from reading `env`. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliCommand {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? [...argv] : argv.slice(0, dash);
  const appArgs = dash === -1 ? undefined : argv.slice(dash + 1);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(own);
  } catch (err) {
    // parseArgs explains "-race" as an ambiguous option value; point at the = form instead.
    const message = (err as Error).message.split('\n')[0] ?? '';
    throw usageError(
      /argument is ambiguous/.test(message)
        ? `${message.replace(/\.$/, '')}: write flags whose value starts with "-" as --flag=value, e.g. --build-flag=-race.`
        : `${message.replace(/\.$/, '')}.`,
    );
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const rest = [...positionals];
  if (rest[0] === 'help') return { kind: 'help' };
  if (rest[0] === 'version') return { kind: 'version' };
  if (rest[0] === 'run') rest.shift();
  if (rest.length > 1) {
    throw usageError(
      `Expected at most one package, but got ${rest.map((r) => JSON.stringify(r)).join(', ')}. Arguments for the app go after "--".`,
    );
  }
  if (values.poll && values.native) throw usageError('--poll and --native contradict each other.');

  const duration = (v: string | undefined, flag: string, positive = false) =>
    v === undefined ? undefined : parseDurationMs(v, flag, positive);
  const signal = values['stop-signal']?.toUpperCase();
  const normalizedSignal = signal && !signal.startsWith('SIG') ? `SIG${signal}` : signal;
  if (normalizedSignal !== undefined && !SIGNALS.has(normalizedSignal)) {
    throw usageError(
      `--stop-signal must be one of ${[...SIGNALS].join(', ')}, but got ${JSON.stringify(values['stop-signal'])}.`,
    );
  }

  const overrides: ConfigOverrides = dropUndefined({
    main: rest[0],
    args: appArgs,
    tags: values.tags
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    buildFlags: values['build-flag'],
    debug: values.debug,
    quietWindowMs: duration(values['quiet-window'], '--quiet-window'),
    pollIntervalMs: duration(values['poll-interval'], '--poll-interval', true),
    stopTimeoutMs: duration(values['stop-timeout'], '--stop-timeout'),
    stopSignal: normalizedSignal as NodeJS.Signals | undefined,
    backend: values.poll ? 'poll' : values.native ? 'native' : backendFromEnv(env.GOHOT_POLL),
    backendSource: values.poll
      ? '--poll'
      : values.native
        ? '--native'
        : env.GOHOT_POLL
          ? `GOHOT_POLL=${env.GOHOT_POLL}`
          : undefined,
  });
  return {
    kind: 'run',
    dir: values.dir,
    verbose: values.verbose ?? false,
    color: values['no-color'] ? false : undefined,
    overrides,
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      dir: { type: 'string', short: 'C' },
      poll: { type: 'boolean' },
      native: { type: 'boolean' },
      'poll-interval': { type: 'string' },
      'quiet-window': { type: 'string' },
      tags: { type: 'string' },
      'build-flag': { type: 'string', multiple: true },
      debug: { type: 'boolean' },
      'stop-signal': { type: 'string' },
      'stop-timeout': { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
}

/** GOHOT_POLL: 1/true/yes forces polling, 0/false/no forces inotify, unset = config decides. */
export function backendFromEnv(value: string | undefined): BackendChoice | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return 'poll';
  if (['0', 'false', 'no', 'off'].includes(v)) return 'native';
  if (v === 'auto') return 'auto';
  throw new GohotError(
    'ENV_INVALID',
    `GOHOT_POLL must be 1 or 0 (or auto), but it is ${JSON.stringify(value)}.`,
    'Unset it to let gohot choose, or set GOHOT_POLL=1 to force polling.',
  );
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
