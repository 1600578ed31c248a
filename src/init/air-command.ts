/**
 * The command keys of `[build]`: `cmd` (how air builds), `bin`, `entrypoint`, `full_bin`
 * and `args_bin` (how it runs the app), `pre_cmd` and `post_cmd`. air runs each as
 * `/bin/sh -c <text>`; gohot runs `go build` itself and the binary directly, so a plain
 * go build maps to keys, `pre_cmd` and the commands chained around the go build map to
 * hooks, and anything else is reported with its explicit `sh -c` form.
 */
import { checkBuildFlag, KEYED_BUILD_FLAGS, keyedBuildFlag } from '../config/build-flags.js';
import type { Argv } from './air-notes.js';
import type { AirWork } from './air-values.js';
import { parseGoBuild } from './go-build-cmd.js';
import { type ShellCommand, splitShell } from './shell-words.js';

/** Wrappers seen in `full_bin`, and whether they are a debugger (which needs DWARF). */
const WRAPPERS: Readonly<Record<string, { readonly debug: boolean }>> = {
  dlv: { debug: true },
  gdb: { debug: true },
  godotenv: { debug: false },
  dotenv: { debug: false },
  sudo: { debug: false },
  nice: { debug: false },
  time: { debug: false },
  doppler: { debug: false },
  infisical: { debug: false },
};

const CROSS_ENV = new Set(['GOOS', 'GOARCH', 'GOARM', 'GOAMD64']);

/** `./tmp/main`, `tmp/main`, `tmp\main.exe` all name `tmp/main`. */
export function binaryKey(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/\.exe$/i, '')
    .replace(/^(\.\/)+/, '');
}

const sh = (text: string): Argv => ['sh', '-c', text];

/**
 * A command line of air's as an argument array: its words when it is one plain command
 * (`templ generate`), else `["sh", "-c", text]`, as air ran it (redirections, `$VAR`, pipes).
 */
export function hookArgv(text: string): Argv {
  const split = splitShell(text);
  const only =
    split.kind === 'commands' && split.commands.length === 1 ? split.commands[0] : undefined;
  return only !== undefined && only.words.length > 0 && Object.keys(only.env).length === 0
    ? [...only.words]
    : sh(text.trim());
}

/** Converts the command keys; `mains` are the module's main packages, the preferred first. */
export function convertCommands(work: AirWork, mains: readonly string[], prefix = ''): void {
  // air runs pre_cmd before every build, then cmd (runner/engine.go buildRun): the
  // pre_cmd hooks come first, then the commands chained before the go build.
  const pre = work.get<string[]>('build.pre_cmd');
  if (pre !== undefined) {
    const commands = pre.filter((c) => c.trim() !== '').map(hookArgv);
    if (commands.length === 0) work.note('build.pre_cmd', 'not-needed', { by: 'same-as-gohot' });
    else {
      work.draft.hooks.beforeBuild.push(...commands.map((c) => [...c]));
      work.note('build.pre_cmd', 'mapped', { by: 'pre-cmd', commands });
    }
  }
  const output = convertBuildCmd(work, prefix);
  convertRunner(work, output);
  // air runs post_cmd once, when it exits (Engine.Stop), not after a build.
  const post = work.get<string[]>('build.post_cmd');
  if (post !== undefined) {
    const commands = post.filter((c) => c.trim() !== '').map(hookArgv);
    if (commands.length === 0) work.note('build.post_cmd', 'not-needed', { by: 'same-as-gohot' });
    else work.note('build.post_cmd', 'unsupported', { by: 'on-exit', commands });
  }
  if (work.draft.main === undefined) chooseMain(work, mains);
}

function chooseMain(work: AirWork, mains: readonly string[]): void {
  const [first, ...others] = mains;
  if (first === undefined) {
    work.warn({ by: 'no-main', source: 'detected' });
    return;
  }
  work.draft.main = first;
  if (others.length > 0) work.warn({ by: 'several-mains', chosen: first, others });
}

/** Returns the `-o` of the go build it mapped, for the comparison with `bin`. */
function convertBuildCmd(work: AirWork, prefix: string): string | undefined {
  const key = 'build.cmd';
  const text = work.get<string>(key);
  if (text === undefined) return undefined;
  const { inner, wrapper } = unwrap(text);
  const split = splitShell(inner);
  if (split.kind === 'opaque') {
    work.note(key, 'unsupported', { by: 'opaque-command', command: sh(text), what: split.what });
    return undefined;
  }
  const builds = split.commands.flatMap((c) => {
    const parsed = parseGoBuild(c.words);
    return parsed === undefined ? [] : [{ command: c, parsed }];
  });
  const chosen = builds.at(-1);
  if (chosen === undefined) {
    work.note(key, 'unsupported', { by: 'not-go-build', commands: [sh(text)] });
    return undefined;
  }
  const { parsed } = chosen;
  const d = work.draft;
  const to: string[] = [];
  const at = split.commands.indexOf(chosen.command);
  // `a && go build && b`, `a; go build` or lines: a runs before each build, b after a
  // successful one. With `|` or `||` no hook does what the shell did.
  const piped = split.commands.some(
    (c, i) => i < split.commands.length - 1 && (c.followedBy === '|' || c.followedBy === '||'),
  );
  const argvOf = (c: ShellCommand): Argv =>
    Object.keys(c.env).length === 0 && !piped ? [...c.words] : sh(c.text);
  const before = piped ? [] : split.commands.slice(0, at).map(argvOf);
  const after = piped ? [] : split.commands.slice(at + 1).map(argvOf);
  const others = piped
    ? split.commands.filter((c) => c !== chosen.command).map((c) => sh(c.text))
    : [];
  const [pkg] = parsed.packages;
  const files = pkg?.endsWith('.go') === true;
  d.main = packageOf(pkg, prefix);
  to.push('main');
  const env = Object.entries(chosen.command.env).filter(([name, value]) => {
    if (!CROSS_ENV.has(name)) return true;
    work.warn({ by: 'cross-compile', name, value });
    return false;
  });
  if (env.length > 0) {
    Object.assign(d.build.env, Object.fromEntries(env));
    to.push('build.env');
  }
  if (parsed.tags !== undefined && parsed.tags.length > 0) {
    d.build.tags.push(...parsed.tags);
    to.push('build.tags');
  }
  const ldflags = parsed.ldflags?.trim();
  if (ldflags !== undefined && ldflags !== '' && ldflags !== '-s -w' && ldflags !== '-w -s') {
    d.build.ldflags = ldflags;
    to.push('build.ldflags');
  }
  if (parsed.buildvcs === true) {
    d.build.buildvcs = true;
    to.push('build.buildvcs');
  }
  if (before.length > 0) {
    d.hooks.beforeBuild.push(...before.map((c) => [...c]));
    to.push('hooks.beforeBuild');
  }
  if (after.length > 0) {
    d.hooks.afterBuild.push(...after.map((c) => [...c]));
    to.push('hooks.afterBuild');
  }
  const dropped = [...parsed.dropped];
  for (const flag of parsed.flags) {
    if (flag === '-a') dropped.push(flag);
    else if (checkBuildFlag(flag, 'file') !== undefined) dropped.push(flag);
    else if (keyedBuildFlag(flag) !== undefined) to.push(...keyFlag(work, flag));
    else d.build.flags.push(flag);
  }
  if (d.build.flags.length > 0) to.push('build.flags');
  if (parsed.runArgs.length > 0) {
    d.run.args.push(...parsed.runArgs);
    to.push('run.args');
  }
  work.note(key, 'mapped', {
    by: 'go-build',
    to,
    before,
    after,
    others,
    wrapper,
    dropped,
    files,
  });
  return parsed.output;
}

/** `-race`, `-trimpath=false`, `-gcflags=all=-N -l` to their own keys; returns the key set. */
function keyFlag(work: AirWork, flag: string): string[] {
  const b = work.draft.build;
  const name = keyedBuildFlag(flag)!;
  const eq = flag.indexOf('=');
  const value = eq === -1 ? undefined : flag.slice(eq + 1);
  if (name === 'toolexec' || name === 'gcflags' || name === 'asmflags') {
    if (value === undefined || value.trim() === '') return [];
    b[name] = value;
  } else {
    // go's boolean flags: -race, -race=true, -race=false (the default: nothing to write).
    if (value !== undefined && value !== 'true') return [];
    b[name] = true;
  }
  return [KEYED_BUILD_FLAGS[name]];
}

/** `cmd /c go build ...` (Windows) and `sh -c "..."` hold the command as one string. */
function unwrap(text: string): { inner: string; wrapper: string | undefined } {
  const m = /^\s*(cmd(?:\.exe)?\s+\/[cC]|(?:\/bin\/)?(?:ba)?sh\s+-c)\s+(.*)$/s.exec(text);
  if (m === null) return { inner: text, wrapper: undefined };
  const split = splitShell(m[2]!);
  const only =
    split.kind === 'commands' && split.commands.length === 1 ? split.commands[0] : undefined;
  // sh -c takes one (quoted) word; cmd /c takes the rest of the line.
  const inner = m[1]!.startsWith('cmd') || only?.words.length !== 1 ? m[2]! : only.words[0]!;
  return { inner, wrapper: m[1]!.replace(/\s+/g, ' ') };
}

/** `.` for the module root, `./cmd/api` for a directory, a .go file's directory; below `prefix`. */
function packageOf(pkg: string | undefined, prefix: string): string {
  // air runs cmd in its root: a root below the module root is where the package is.
  if (prefix !== '') {
    const inner = packageOf(pkg, '');
    if (inner === '.') return `./${prefix.replace(/\/$/, '')}`;
    if (inner.startsWith('./')) return `./${prefix}${inner.slice(2)}`;
    return inner;
  }
  if (pkg === undefined || pkg === '.' || pkg === './') return '.';
  let dir = pkg.replace(/\\/g, '/');
  if (dir.endsWith('.go')) dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '.';
  dir = dir.replace(/\/+$/, '');
  if (dir === '' || dir === '.') return '.';
  if (dir.startsWith('./') || dir.startsWith('../') || dir.startsWith('/')) return dir;
  // "cmd/api" is a directory to air's users; an import path has a dot in its first element.
  return (dir.split('/')[0] ?? '').includes('.') ? dir : `./${dir}`;
}

/** The runner: full_bin wins over entrypoint, which wins over bin (air's runnerBin). */
function convertRunner(work: AirWork, output: string | undefined): void {
  const fullBin = work.get<string>('build.full_bin');
  const entrypoint = work.get<string[]>('build.entrypoint');
  const bin = work.get<string>('build.bin');
  const winner =
    fullBin !== undefined && fullBin !== ''
      ? 'build.full_bin'
      : entrypoint !== undefined && entrypoint.length > 0
        ? 'build.entrypoint'
        : bin !== undefined && bin !== ''
          ? 'build.bin'
          : undefined;
  for (const key of ['build.bin', 'build.entrypoint', 'build.full_bin']) {
    if (key !== winner)
      work.noteIfSet(key, 'not-needed', { by: 'overridden-by', other: winner ?? 'build.cmd' });
  }
  const runnerBinary = winner === undefined ? undefined : convertRunnerKey(work, winner);
  if (output !== undefined && runnerBinary !== undefined && winner !== undefined) {
    // `-o dir/` writes dir/<package name>: compare the directories then.
    const out = binaryKey(output);
    const runs = binaryKey(runnerBinary);
    const same = out.endsWith('/') ? runs.startsWith(out) : out === runs;
    if (!same) {
      work.warn({ by: 'output-mismatch', output, bin: runnerBinary, binKey: winner });
    }
  }
  convertArgsBin(work);
}

/** Maps the key air runs the app with; returns the binary it names, if it names one. */
function convertRunnerKey(work: AirWork, key: string): string | undefined {
  let words: string[];
  const env: Record<string, string> = {};
  if (key === 'build.entrypoint') {
    words = [...work.get<string[]>(key)!];
  } else {
    const text = work.get<string>(key)!;
    // `tmp\main.exe` is a Windows path, not shell escapes.
    const split = /^\S+$/.test(text.trim())
      ? ({
          kind: 'commands',
          commands: [{ env: {}, words: [text.trim()], text, followedBy: 'end' }],
        } as const)
      : splitShell(text);
    const first: ShellCommand | undefined =
      split.kind === 'commands' && split.commands.length === 1 ? split.commands[0] : undefined;
    if (first === undefined) {
      const what = split.kind === 'opaque' ? split.what : 'several commands';
      work.note(key, 'unsupported', { by: 'opaque-command', command: sh(text), what });
      return undefined;
    }
    words = [...first.words];
    Object.assign(env, first.env);
  }
  if (words[0] === 'env') {
    words = words.slice(1);
    while (words[0] !== undefined && /^[A-Za-z_]\w*=/.test(words[0])) {
      const [name, ...value] = words.shift()!.split('=');
      env[name!] = value.join('=');
    }
  }
  let tool = toolOf(words[0]);
  let envFiles: string[] | undefined;
  if (tool === 'godotenv') {
    const read = readGodotenv(words.slice(1));
    if (read?.override === true) {
      work.note(key, 'unsupported', { by: 'env-override', tool });
      return undefined;
    }
    if (read !== undefined) {
      envFiles = read.files;
      words = read.command;
      tool = toolOf(words[0]);
    }
  }
  const wrapper = Object.hasOwn(WRAPPERS, tool) ? WRAPPERS[tool]! : undefined;
  if (wrapper !== undefined) {
    if (wrapper.debug) work.draft.build.debug = true;
    work.note(key, 'unsupported', { by: 'wrapper', tool, debug: wrapper.debug });
    return undefined;
  }
  const args = words.slice(1);
  Object.assign(work.draft.run.env, env);
  work.draft.run.args.push(...args);
  const to = [
    ...(Object.keys(env).length > 0 ? ['run.env'] : []),
    ...(args.length > 0 ? ['run.args'] : []),
  ];
  if (envFiles !== undefined) {
    work.draft.run.envFile.push(...envFiles);
    work.note(key, 'mapped', {
      by: 'env-wrapper',
      tool: 'godotenv',
      files: envFiles,
      to: ['run.envFile', ...to],
      args,
    });
  } else if (to.length > 0) work.note(key, 'mapped', { by: 'binary-args', to, args });
  else work.note(key, 'not-needed', { by: 'gohot-binary' });
  return words[0];
}

const toolOf = (word: string | undefined): string =>
  (word ?? '').replace(/^.*[/\\]/, '').replace(/\.exe$/i, '');

/**
 * The words after `godotenv`: `[-o] [-f a.env,b.env] command...` (Go flag syntax; `.env`
 * without -f). godotenv loads the files without overriding what is set, so the first file
 * wins; in gohot's `run.envFile` a later file wins: the list is reversed. Undefined when
 * the words are not that (no command, an unknown flag).
 */
export function readGodotenv(
  words: readonly string[],
): { files: string[]; override: boolean; command: string[] } | undefined {
  let files: string[] | undefined;
  let override = false;
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      i++;
      break;
    }
    const m = /^--?([a-z]+)(?:=(.*))?$/s.exec(word);
    if (m === null) break;
    if (m[1] === 'o') override = m[2] === undefined || m[2] === 'true';
    else if (m[1] === 'f') {
      const value = m[2] ?? words[++i];
      if (value === undefined) return undefined;
      files = value
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean);
    } else return undefined;
  }
  const command = words.slice(i);
  if (command.length === 0) return undefined;
  return { files: [...(files ?? ['.env'])].reverse(), override, command };
}

function convertArgsBin(work: AirWork): void {
  const list = work.get<string[]>('build.args_bin');
  if (list === undefined) return;
  if (list.length === 0) {
    work.note('build.args_bin', 'not-needed', { by: 'same-as-gohot' });
    return;
  }
  // air joins the binary and args_bin with spaces and runs the line with sh -c.
  const args = list.flatMap((a) => {
    const split = splitShell(a);
    return split.kind === 'commands' && split.commands.length === 1
      ? [...split.commands[0]!.words]
      : [a];
  });
  work.draft.run.args.push(...args);
  work.note('build.args_bin', 'mapped', { by: 'binary-args', to: ['run.args'], args });
}
