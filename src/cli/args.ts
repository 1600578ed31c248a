import { parseArgs } from 'node:util';
import { checkReadyValue } from '../config/ready.js';
import { didYouMean } from '../config/suggest.js';
import type { ConfigOverrides } from '../config/types.js';
import { parseDurationMs } from '../duration.js';
import { GohotError } from '../errors.js';
import type { TraceOptions } from '../trace/open-trace.js';
import type { BackendChoice } from '../watch/types.js';
import {
  AVAILABLE_COMMANDS,
  COMMAND_NAMES,
  type CommandName,
  FLAGS,
  isCommandName,
  isPathArgument,
  isPlanned,
  PLANNED_COMMANDS,
} from './grammar.js';

export { USAGE } from './grammar.js';

/** `gohot help [command]`, or `--help` anywhere. */
export interface HelpCommand {
  readonly kind: 'help';
}

/** `gohot version`, or `--version` anywhere. */
export interface VersionCommand {
  readonly kind: 'version';
}

/** `gohot [run] [package] [flags] [-- app arguments]`. */
export interface RunCommand {
  readonly kind: 'run';
  /** Directory to run in (-C). */
  readonly dir: string | undefined;
  readonly verbose: boolean;
  /** undefined = decide from the terminal and NO_COLOR. */
  readonly color: boolean | undefined;
  /** The package is `overrides.main`, verbatim: a path (`./api`) or, after `run`, any word. */
  readonly overrides: ConfigOverrides;
  /** Who reads the events: people (stderr) or programs (NDJSON on stdout). @default 'terminal' */
  readonly reporter: 'terminal' | 'json';
  /** `--trace <file>`: also write every event to a file. @default undefined */
  readonly trace: TraceOptions | undefined;
}

/** `gohot explain <path>... [--json]`. */
export interface ExplainCommand {
  readonly kind: 'explain';
  readonly dir: string | undefined;
  readonly paths: readonly string[];
  readonly json: boolean;
  /** Say which packages' tests a change would run (`gohot test`), not what `run` does. */
  readonly test: boolean;
  /** Build tags and flags change what go list sees, as in `run`. */
  readonly overrides: ConfigOverrides;
}

/** `gohot inspect [package] [--json] [--format text|mermaid|dot]`. */
export interface InspectCommand {
  readonly kind: 'inspect';
  readonly dir: string | undefined;
  /** `json` for --json; the graph formats print only the package graph. */
  readonly format: InspectFormat;
  /** The package (`overrides.main`), tags, build flags and the backend, as in `run`. */
  readonly overrides: ConfigOverrides;
}

/** What `gohot inspect` prints. */
export type InspectFormat = 'text' | 'json' | 'mermaid' | 'dot';

/** `gohot doctor [--json]`. */
export interface DoctorCommand {
  readonly kind: 'doctor';
  readonly dir: string | undefined;
  readonly json: boolean;
  /** Tags, build flags and --poll/--native change what doctor checks, as in `run`. */
  readonly overrides: ConfigOverrides;
}

/** `gohot test [packages] [flags] [-- go test flags]`. */
export interface TestCommand {
  readonly kind: 'test';
  readonly dir: string | undefined;
  readonly verbose: boolean;
  readonly color: boolean | undefined;
  /** Package patterns as written (relative to the current directory); empty: the module's ./... */
  readonly patterns: readonly string[];
  /** Everything after `--`, for go test (`-race`, `-count=1`, `-run X`). */
  readonly goTestFlags: readonly string[];
  /** Build tags, build flags and watch settings, as in `run`. */
  readonly overrides: ConfigOverrides;
  /** Who reads the events: people (stderr) or programs (NDJSON on stdout). @default 'terminal' */
  readonly reporter: 'terminal' | 'json';
  /** `--trace <file>`: also write every event to a file (NDJSON only). @default undefined */
  readonly trace: TraceOptions | undefined;
}

/** What the command line asks for: one variant per command this version has. */
export type CliCommand =
  | HelpCommand
  | VersionCommand
  | RunCommand
  | ExplainCommand
  | InspectCommand
  | DoctorCommand
  | InitCommand
  | TestCommand;

/** `gohot init [--from-air [path]] [--dry-run] [--force]`. */
export interface InitCommand {
  readonly kind: 'init';
  readonly dir: string | undefined;
  /** The .air.toml to convert; `true`: the module root's. */
  readonly fromAir: string | true | undefined;
  readonly dryRun: boolean;
  readonly force: boolean;
}

const SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2']);

function usageError(message: string): GohotError {
  return new GohotError('CLI_USAGE', message, 'Run `gohot --help` for the list of flags.');
}

/**
 * Parses gohot's argv (without node and the script). Pure apart from reading `env`.
 *
 * Grammar: the first positional word is a command when it is one of `COMMANDS`; otherwise
 * it must be written as a path (`./api`, `../x`, `/abs`, `.`) and `run` is implied. After
 * `run`, the word is a package as the go command takes it (a path or an import path), so
 * `gohot run test` names ./test. Everything after the first `--` belongs to the app.
 * Flags may come before or after the command and the package.
 */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliCommand {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? [...argv] : argv.slice(0, dash);
  const appArgs = dash === -1 ? undefined : argv.slice(dash + 1);

  // A planned command may get flags of its own (`gohot test -run X`): name the command
  // before complaining about flags this version does not know.
  const lenient = parseArgs({ args: own, options: FLAGS, allowPositionals: true, strict: false });
  if (lenient.values.help === true) return { kind: 'help' };
  if (lenient.values.version === true) return { kind: 'version' };
  const first = lenient.positionals[0];
  if (first !== undefined && isCommandName(first) && isPlanned(first)) {
    throw plannedCommand(first);
  }

  const { values, positionals } = parseStrict(own);
  const [word, ...rest] = positionals;
  if (word === undefined) return runCommand(values, [], appArgs, env);
  if (isPathArgument(word)) return runCommand(values, positionals, appArgs, env);
  if (!isCommandName(word)) throw unknownCommand(word);
  switch (word) {
    case 'run':
      return runCommand(values, rest, appArgs, env);
    case 'help':
      if (rest[0] !== undefined && !isCommandName(rest[0])) throw unknownCommand(rest[0], true);
      if (rest.length > 1) throw extraArguments(word, rest.slice(1));
      return { kind: 'help' };
    case 'version':
      if (rest.length > 0) throw extraArguments(word, rest);
      return { kind: 'version' };
    case 'explain':
      return explainCommand(values, rest, appArgs, env);
    case 'inspect':
      return inspectCommand(values, rest, appArgs, env);
    case 'doctor':
      return doctorCommand(values, rest, appArgs, env);
    case 'init':
      return initCommand(values, rest, appArgs);
    case 'test':
      return testCommand(values, rest, appArgs, env);
    default:
      throw plannedCommand(word);
  }
}

function parseStrict(args: string[]) {
  try {
    return parseArgs({ args, options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError(describeParseError((err as Error).message));
  }
}

/** parseArgs' message, reworded where its advice does not fit gohot. */
function describeParseError(raw: string): string {
  const message = (raw.split('\n')[0] ?? '').replace(/\.$/, '');
  // "-race" is explained as an ambiguous option value; point at the = form instead.
  if (/argument is ambiguous/.test(message)) {
    return `${message}: write flags whose value starts with "-" as --flag=value, e.g. --build-flag=-race.`;
  }
  // parseArgs suggests "-- <arg>" for an unknown option, but after "--" gohot passes it to the app.
  const unknown = /^Unknown option '(-[^']*)'/.exec(message);
  if (unknown) {
    const flag = unknown[1]!;
    const near = didYouMean(flag.replace(/^-+/, '').split('=')[0]!, Object.keys(FLAGS));
    const guess = near === undefined ? '' : ` Did you mean --${near}?`;
    return `Unknown option '${flag}'.${guess} Flags for the app go after "--".`;
  }
  return `${message}.`;
}

type FlagValues = ReturnType<typeof parseStrict>['values'];

function runCommand(
  values: FlagValues,
  packages: readonly string[],
  appArgs: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
  /** explain and doctor borrow run's flags (tags, build flags) and also take --json. */
  forExplain = false,
): RunCommand {
  if (packages.length > 1) {
    throw usageError(
      `Expected at most one package, but got ${packages.map((r) => JSON.stringify(r)).join(', ')}. Arguments for the app go after "--".`,
    );
  }
  if (values.poll && values.native) throw usageError('--poll and --native contradict each other.');
  const initFlag = INIT_FLAGS.find((f) => values[f] !== undefined);
  if (initFlag !== undefined) {
    throw usageError(`--${initFlag} belongs to \`gohot init\`.`);
  }
  if (values.json === true && !forExplain) {
    throw usageError(
      '--json belongs to `gohot explain`, `gohot inspect` and `gohot doctor`; `gohot run` prints lines for humans.',
    );
  }
  if (values.format !== undefined && !forExplain) {
    throw usageError('--format belongs to `gohot inspect`.');
  }
  if (values.test === true && !forExplain) {
    throw usageError('--test belongs to `gohot explain`; to run tests, write `gohot test`.');
  }

  const duration = (v: string | undefined, flag: string, positive = false) =>
    v === undefined ? undefined : parseDurationMs(v, flag, positive);
  const signal = values['stop-signal']?.toUpperCase();
  const normalizedSignal = signal && !signal.startsWith('SIG') ? `SIG${signal}` : signal;
  if (normalizedSignal !== undefined && !SIGNALS.has(normalizedSignal)) {
    throw usageError(
      `--stop-signal must be one of ${[...SIGNALS].join(', ')}, but got ${JSON.stringify(values['stop-signal'])}.`,
    );
  }

  const ready = readyFlag(values);
  const overrides: ConfigOverrides = dropUndefined({
    main: packages[0],
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
    ready,
    readyTimeoutMs: duration(values['ready-timeout'], '--ready-timeout', true),
    stopSignal: normalizedSignal as NodeJS.Signals | undefined,
    proxyListen: values.proxy,
    proxyTarget: values['proxy-target'],
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
    ...streams(values, forExplain),
  };
}

/** --reporter, --trace and --trace-format, checked. */
function streams(values: FlagValues, forExplain: boolean): Pick<RunCommand, 'reporter' | 'trace'> {
  const { reporter = 'terminal', trace, 'trace-format': format } = values;
  if (
    forExplain &&
    (values.reporter !== undefined || trace !== undefined || format !== undefined)
  ) {
    throw usageError(
      '--reporter, --trace and --trace-format belong to `gohot run` and `gohot test`.',
    );
  }
  if (reporter !== 'terminal' && reporter !== 'json') {
    throw usageError(`--reporter must be terminal or json, but got ${JSON.stringify(reporter)}.`);
  }
  if (format !== undefined && format !== 'ndjson' && format !== 'chrome') {
    throw usageError(`--trace-format must be ndjson or chrome, but got ${JSON.stringify(format)}.`);
  }
  if (format !== undefined && trace === undefined) {
    throw usageError('--trace-format needs --trace <file>, the file to write the trace to.');
  }
  if (trace === '') throw usageError('--trace needs a file name, e.g. --trace gohot-trace.json.');
  return {
    reporter,
    trace: trace === undefined ? undefined : { file: trace, format: format ?? 'ndjson' },
  };
}

/** The readiness check of `--ready-url`, `--ready-tcp` or `--ready-log` (at most one). */
function readyFlag(values: FlagValues): ConfigOverrides['ready'] {
  const given = (
    [
      ['http', '--ready-url', 'httpUrl', values['ready-url']],
      ['tcp', '--ready-tcp', 'hostPort', values['ready-tcp']],
      ['log', '--ready-log', 'regexp', values['ready-log']],
    ] as const
  ).filter(([, , , value]) => value !== undefined);
  if (given.length > 1) {
    throw usageError(
      `${given.map(([, flag]) => flag).join(' and ')} contradict each other; give one.`,
    );
  }
  const [kind, flag, valueKind, value] = given[0] ?? [];
  if (kind === undefined || value === undefined) return undefined;
  const problem = checkReadyValue(valueKind, value);
  if (problem !== undefined) {
    throw usageError(`${flag} must be ${problem}, but got ${JSON.stringify(value)}.`);
  }
  return { kind, value };
}

function explainCommand(
  values: FlagValues,
  paths: readonly string[],
  appArgs: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
): ExplainCommand {
  if (paths.length === 0 && (appArgs === undefined || appArgs.length === 0)) {
    throw usageError('`gohot explain` needs at least one path, e.g. `gohot explain main.go`.');
  }
  // After "--" every word is a path, even one that looks like a flag.
  const run = runCommand(values, [], undefined, env, true);
  if (values.json === true && run.verbose)
    throw usageError('--json and --verbose contradict each other.');
  if (values.format !== undefined) throw usageError('--format belongs to `gohot inspect`.');
  return {
    kind: 'explain',
    dir: values.dir,
    paths: [...paths, ...(appArgs ?? [])],
    json: values.json ?? false,
    test: values.test ?? false,
    overrides: run.overrides,
  };
}

function testCommand(
  values: FlagValues,
  patterns: readonly string[],
  goTestFlags: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
): TestCommand {
  // Flags of `gohot run` that the test session has nothing for: rejected, never ignored.
  const runOnly = RUN_ONLY_FLAGS.find((f) => values[f] !== undefined);
  if (runOnly !== undefined) {
    throw usageError(
      `--${runOnly} belongs to \`gohot run\`: \`gohot test\` starts no app and no proxy.`,
    );
  }
  const run = runCommand(values, [], undefined, env);
  // A Chrome trace is a timeline of builds and restarts; a test session has neither.
  if (run.trace?.format === 'chrome') {
    throw usageError('`gohot test` writes its --trace as ndjson; drop --trace-format chrome.');
  }
  return {
    kind: 'test',
    dir: run.dir,
    verbose: run.verbose,
    color: run.color,
    patterns,
    goTestFlags: goTestFlags ?? [],
    overrides: run.overrides,
    reporter: run.reporter,
    trace: run.trace,
  };
}

/** The flags of `gohot run` that `gohot test` does not take (no app, no proxy). */
const RUN_ONLY_FLAGS = [
  'proxy',
  'proxy-target',
  'ready-url',
  'ready-tcp',
  'ready-log',
  'ready-timeout',
  'stop-signal',
  'stop-timeout',
] as const;

const INSPECT_FORMATS = ['text', 'mermaid', 'dot'] as const;

function inspectCommand(
  values: FlagValues,
  packages: readonly string[],
  appArgs: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
): InspectCommand {
  if (appArgs !== undefined && appArgs.length > 0) {
    throw usageError('`gohot inspect` passes nothing to the app: drop what follows "--".');
  }
  // The package, as for `run`: a path, or an import path.
  const run = runCommand({ ...values, format: undefined }, packages, undefined, env, true);
  if (run.verbose) throw usageError('`gohot inspect` has no --verbose.');
  const format = values.format;
  if (format !== undefined && !(INSPECT_FORMATS as readonly string[]).includes(format)) {
    throw usageError(
      `--format must be one of ${INSPECT_FORMATS.join(', ')}, but got ${JSON.stringify(format)}.`,
    );
  }
  if (values.json === true && format !== undefined && format !== 'text') {
    throw usageError(`--json and --format ${format} contradict each other.`);
  }
  return {
    kind: 'inspect',
    dir: values.dir,
    format: values.json === true ? 'json' : ((format ?? 'text') as InspectFormat),
    overrides: run.overrides,
  };
}

function doctorCommand(
  values: FlagValues,
  extra: readonly string[],
  appArgs: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
): DoctorCommand {
  const words = [...extra, ...(appArgs ?? [])];
  if (words.length > 0) {
    throw usageError(
      `\`gohot doctor\` takes no arguments, but got ${words.map((w) => JSON.stringify(w)).join(', ')}; use -C <dir> to check another directory.`,
    );
  }
  const run = runCommand(values, [], undefined, env, true);
  if (values.json === true && run.verbose)
    throw usageError('--json and --verbose contradict each other.');
  return { kind: 'doctor', dir: values.dir, json: values.json ?? false, overrides: run.overrides };
}

const INIT_FLAGS = ['from-air', 'dry-run', 'force'] as const;
/** The flags `gohot init` takes besides its own. */
const INIT_SHARED = new Set(['dir', 'no-color', 'help', 'version', ...INIT_FLAGS]);

function initCommand(
  values: FlagValues,
  rest: readonly string[],
  appArgs: readonly string[] | undefined,
): InitCommand {
  const foreign = Object.keys(values).filter((f) => !INIT_SHARED.has(f));
  if (foreign.length > 0) {
    throw usageError(
      `\`gohot init\` does not take --${foreign[0]}; it takes --from-air [path], --dry-run, --force and -C <dir>.`,
    );
  }
  const paths = [...rest, ...(appArgs ?? [])];
  if (paths.length > 0 && values['from-air'] !== true) {
    throw usageError(
      `\`gohot init\` takes a path only after --from-air, e.g. \`gohot init --from-air ${paths[0]}\`.`,
    );
  }
  if (paths.length > 1) throw extraArguments('init', paths.slice(1));
  return {
    kind: 'init',
    dir: values.dir,
    fromAir: values['from-air'] === true ? (paths[0] ?? true) : undefined,
    dryRun: values['dry-run'] ?? false,
    force: values.force ?? false,
  };
}

/** How to write `word` so that gohot reads it as a package and not as a command. */
function asPackage(word: string): string {
  // example.com/app/cmd/api is an import path, not a directory: only `run` takes it as is.
  const importPath = word.includes('/') && (word.split('/')[0] ?? '').includes('.');
  return importPath
    ? `To run the package ${word}, write \`gohot run ${word}\`.`
    : `To run the main package in the directory ${word}, write \`gohot ./${word}\` (or \`gohot run ${word}\`).`;
}

/** `word` is where a command is expected; `inHelp` for `gohot help <word>`. */
function unknownCommand(word: string, inHelp = false): GohotError {
  const near = didYouMean(word, COMMAND_NAMES) as CommandName | undefined;
  const guess =
    near === undefined
      ? ''
      : isPlanned(near)
        ? ` Did you mean "${near}" (a planned command)?`
        : ` Did you mean \`gohot ${near}\`?`;
  const later =
    PLANNED_COMMANDS.length > 0 ? `; reserved for later: ${PLANNED_COMMANDS.join(', ')}` : '';
  const commands = `Commands: ${AVAILABLE_COMMANDS.join(', ')}${later}.`;
  if (inHelp) {
    return new GohotError(
      'CLI_UNKNOWN_COMMAND',
      `"${word}" is not a gohot command.${guess}`,
      commands,
    );
  }
  return new GohotError(
    'CLI_UNKNOWN_COMMAND',
    `"${word}" is neither a gohot command nor a package path (a path starts with ./, ../ or /).${guess}`,
    `${asPackage(word)} ${commands}`,
  );
}

function plannedCommand(word: CommandName): GohotError {
  return new GohotError(
    'CLI_PLANNED_COMMAND',
    `\`gohot ${word}\` is a planned command that this version of gohot does not have yet.`,
    `${asPackage(word)} Commands in this version: ${AVAILABLE_COMMANDS.join(', ')}.`,
  );
}

function extraArguments(
  command: 'help' | 'version' | 'init',
  extra: readonly string[],
): GohotError {
  const takes =
    command === 'help'
      ? 'at most one command name'
      : command === 'init'
        ? 'at most one .air.toml path'
        : 'no arguments';
  return usageError(
    `\`gohot ${command}\` takes ${takes}, but got ${extra.map((e) => JSON.stringify(e)).join(', ')}.`,
  );
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
