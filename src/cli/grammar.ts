import type { ParseArgsConfig } from 'node:util';

type OptionConfig = NonNullable<ParseArgsConfig['options']>[string];

/** One reserved first word: a command this version has, or one a later version will have. */
type CommandSpec =
  | {
      readonly status: 'available';
      /** The synopsis line in the help, without the leading `gohot `. */
      readonly synopsis: string;
      readonly summary: string;
    }
  | { readonly status: 'planned' };

type AvailableSpec = Extract<CommandSpec, { status: 'available' }>;

/**
 * The reserved first words of the command line. A first word that is one of these is a
 * command, never a package; a directory with such a name is written `./test`.
 */
export const COMMANDS = {
  run: {
    status: 'available',
    synopsis: '[run] [package] [flags] [-- app arguments]',
    summary: 'build the main package, run it, rebuild and restart it on every relevant save',
  },
  help: { status: 'available', synopsis: 'help [command]', summary: 'print this help' },
  version: { status: 'available', synopsis: 'version', summary: 'print the version' },
  explain: {
    status: 'available',
    synopsis: 'explain <path>... [--json] [--test]',
    summary: 'say what a change of each path would do, and the whole chain of reasons',
  },
  inspect: {
    status: 'available',
    synopsis: 'inspect [package] [--json] [--format text|mermaid|dot]',
    summary: 'show what gohot watches and the package graph (live when gohot runs)',
  },
  doctor: {
    status: 'available',
    synopsis: 'doctor [--json]',
    summary: 'check Go, the module, the build environment and the watch limits, each with its fix',
  },
  test: {
    status: 'available',
    synopsis: 'test [packages] [flags] [-- go test flags]',
    summary: 'run the tests a save can affect (default ./... of the module), on every save',
  },
  init: {
    status: 'available',
    synopsis: 'init [--from-air [path]] [--dry-run] [--force]',
    summary: "write a starter gohot.json, or convert a .air.toml (default: the module root's)",
  },
} as const satisfies Record<string, CommandSpec>;

/** A reserved first word of the command line. */
export type CommandName = keyof typeof COMMANDS;

/** The words of {@link COMMANDS}, in help order. */
export const COMMAND_NAMES = Object.keys(COMMANDS) as readonly CommandName[];

/** True when `word` is a reserved command word (available or planned). */
export function isCommandName(word: string): word is CommandName {
  return Object.hasOwn(COMMANDS, word);
}

/** The commands this version has. */
export const AVAILABLE_COMMANDS = COMMAND_NAMES.filter((c) => !isPlanned(c));
/** The words reserved for commands of later versions (none in this version). */
export const PLANNED_COMMANDS = COMMAND_NAMES.filter((c) => isPlanned(c));

/** True when `command` is reserved for a later version. */
export function isPlanned(command: CommandName): boolean {
  return (COMMANDS[command] as CommandSpec).status === 'planned';
}

export { isPathArgument } from '../go/package-args.js';

/**
 * The flags of `gohot run` (and `--help`/`--version` anywhere). `arg` is how the value is
 * written in the help; a leading `=` means the value must be attached (`--build-flag=-race`).
 */
export const FLAGS = {
  dir: {
    type: 'string',
    short: 'C',
    arg: '<dir>',
    help: 'run as if gohot was started in <dir>',
  },
  poll: { type: 'boolean', help: 'watch by polling (for Docker/VM/WSL/NFS mounts)' },
  native: { type: 'boolean', help: 'watch with inotify only (no automatic polling fallback)' },
  'poll-interval': { type: 'string', arg: '<d>', help: 'polling sweep interval (default 500ms)' },
  'quiet-window': {
    type: 'string',
    arg: '<d>',
    help: 'wait this long after the last change before building (default 10ms; 0 = none)',
  },
  tags: { type: 'string', arg: '<a,b>', help: 'build tags' },
  'build-flag': {
    type: 'string',
    multiple: true,
    arg: '=<flag>',
    help: 'extra go build flag, repeatable (e.g. --build-flag=-race)',
  },
  debug: {
    type: 'boolean',
    help: 'keep DWARF debug info (for delve); default builds use -ldflags="-s -w"',
  },
  'stop-signal': {
    type: 'string',
    arg: '<sig>',
    help: 'signal sent to the app on restart (default SIGTERM)',
  },
  'stop-timeout': { type: 'string', arg: '<d>', help: 'grace period before SIGKILL (default 3s)' },
  'ready-url': {
    type: 'string',
    arg: '<url>',
    help: 'the app is ready once <url> answers with a status below 500',
  },
  'ready-tcp': {
    type: 'string',
    arg: '<addr>',
    help: 'the app is ready once <addr> (host:port) accepts a connection',
  },
  'ready-log': {
    type: 'string',
    arg: '<re>',
    help: 'the app is ready once a line of its output matches <re>',
  },
  'ready-timeout': { type: 'string', arg: '<d>', help: 'how long to wait for ready (default 30s)' },
  proxy: {
    type: 'string',
    arg: '<addr>',
    help: 'browser live reload: a proxy on <addr> (3000, host:port; loopback unless named)',
  },
  'proxy-target': {
    type: 'string',
    arg: '<url>',
    help: 'the address the app listens on, for --proxy (http://127.0.0.1:8080 or 8080)',
  },
  verbose: { type: 'boolean', short: 'v', help: 'show every watcher and scheduler decision' },
  json: {
    type: 'boolean',
    help: 'explain, inspect, doctor: print JSON (docs/explain.md, docs/inspect.md, docs/doctor.md)',
  },
  format: { type: 'string', arg: '<f>', help: 'inspect: text, mermaid or dot (default text)' },
  'from-air': {
    type: 'boolean',
    help: 'init: convert .air.toml (or the path after it) into gohot.json',
  },
  'dry-run': { type: 'boolean', help: 'init: print the gohot.json to stdout, write nothing' },
  force: { type: 'boolean', help: 'init: replace an existing gohot.json' },
  reporter: {
    type: 'string',
    arg: '<r>',
    help: 'terminal (default), or json: events as NDJSON on stdout, the app on stderr',
  },
  trace: {
    type: 'string',
    arg: '<file>',
    help: 'write every event with its time to <file> (docs/events.md)',
  },
  'trace-format': {
    type: 'string',
    arg: '<f>',
    help: 'ndjson (default), or chrome: a timeline for ui.perfetto.dev',
  },
  test: { type: 'boolean', help: "explain: which packages' tests a change would run" },
  'no-color': { type: 'boolean', help: 'plain output (also: NO_COLOR=1)' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
  version: { type: 'boolean', help: 'print the version' },
} as const satisfies Record<
  string,
  OptionConfig & { readonly arg?: string; readonly help: string }
>;

/** A long flag name of {@link FLAGS}, without the dashes. */
export type FlagName = keyof typeof FLAGS;

/** `-C, --dir <dir>` for the flag `name`. */
export function flagSynopsis(name: FlagName): string {
  const spec: { readonly short?: string; readonly arg?: string; readonly help: string } =
    FLAGS[name];
  const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
  const arg = spec.arg === undefined ? '' : spec.arg.startsWith('=') ? spec.arg : ` ${spec.arg}`;
  return `${short}--${name}${arg}`;
}

function columns(rows: ReadonlyArray<readonly [string, string]>, indent: string): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}${right}`);
}

function renderUsage(): string {
  const available = AVAILABLE_COMMANDS.map((c) => [c, COMMANDS[c] as AvailableSpec] as const);
  return [
    'gohot: rebuild and restart a Go program on every relevant save.',
    '',
    'Usage:',
    ...available.map(([, spec]) => `  gohot ${spec.synopsis}`),
    '',
    'Commands:',
    ...columns(
      available.map(([name, spec]) => [name, spec.summary] as const),
      '  ',
    ),
    `  Reserved for later versions: ${PLANNED_COMMANDS.join(', ')}.`,
    '  "run" is implied when the first word is a package path, or when there is none.',
    '',
    'Package (default: "main" in gohot.json, else ".", else the only main package):',
    ...columns(
      [
        ['./cmd/api', 'a directory: ./x, ../x, /abs/path or . (relative to the current directory)'],
        ['run <import path>', 'after run, also an import path: gohot run example.com/app/cmd/api'],
        ['./test', 'a directory named like a command (or: gohot run test)'],
      ],
      '  ',
    ),
    '',
    'Flags:',
    ...columns(
      (Object.keys(FLAGS) as FlagName[]).map((f) => [flagSynopsis(f), FLAGS[f].help] as const),
      '  ',
    ),
    '',
    'Environment: GOHOT_POLL=1 forces polling, GOHOT_POLL=0 forces inotify; GOHOT_GO picks the go binary.',
    'Durations carry a unit: 0, 20ms, 1.5s, 2m. Keys while running: r + Enter rebuilds.',
    'Keys while testing (then Enter): a runs all, f reruns the failed tests, Enter reruns, q quits.',
  ].join('\n');
}

/** The text of `gohot --help`, generated from {@link COMMANDS} and {@link FLAGS}. */
export const USAGE = renderUsage();
