/**
 * The words of `gohot init`: what the starter gohot.json holds, and for `--from-air` one
 * line per air key (mapped, not needed, unsupported, unknown) and the warnings.
 */
import path from 'node:path';
import type { AirNote, AirNoteKind, AirReason, AirWarning, Argv } from '../init/air-notes.js';
import type { InitResult } from '../init/run-init.js';
import type { MainChoice, StarterKey } from '../init/starter.js';
import { STARTER_KEYS } from '../init/starter.js';
import { escapeControl } from './describe.js';

const KIND_LABEL: Readonly<Record<AirNoteKind, string>> = {
  mapped: 'mapped',
  'not-needed': 'not needed',
  unsupported: 'unsupported',
  unknown: 'unknown',
};

const j = (v: unknown) => JSON.stringify(v);
const argv = (a: Argv) => j(a);
const argvs = (list: readonly Argv[]) => list.map(argv).join(', ');
const isShell = (a: Argv) => a.length === 3 && a[0] === 'sh' && a[1] === '-c';
/** How the commands of a hook run, and what a failure does. */
function hookNote(list: readonly Argv[], airBuiltAnyway: boolean): string {
  const how = list.some(isShell)
    ? 'shell syntax stays ["sh","-c",...], plain commands become argument arrays'
    : 'as argument arrays';
  return `${how}; a failing command fails the cycle and keeps the app running${airBuiltAnyway ? ' (air built anyway)' : ''}`;
}

/** The report `gohot init` prints, as lines (no trailing newline). */
export function initText(result: InitResult, cwd: string): string[] {
  const file = path.relative(cwd, result.target) || result.target;
  const lines: string[] = [];
  const verb = result.written ? 'wrote' : 'would write (--dry-run)';
  if (result.kind === 'starter') {
    lines.push(`${verb} ${file}: a starter config with these keys`);
    const rows = STARTER_KEYS.filter((k) => k !== 'main' || result.choice.by !== 'none').map(
      (k) => [k, starterKeyText(k, result.choice)] as const,
    );
    lines.push(...table(rows));
    if (result.choice.by === 'none') {
      lines.push('  (no main package found: gohot builds the one you add, or set "main")');
    }
    if (result.airConfig) {
      lines.push(
        'This module has a .air.toml: `gohot init --from-air --force` converts it instead.',
      );
    }
  } else {
    const source = path.relative(cwd, result.source) || result.source;
    lines.push(`${verb} ${file}, converted from ${source}: what became of each air key`);
    const width = Math.max(...result.conversion.notes.map((n) => n.key.length), 8) + 2;
    for (const note of result.conversion.notes) {
      lines.push(`  ${KIND_LABEL[note.kind].padEnd(12)}${note.key.padEnd(width)}${noteText(note)}`);
    }
    for (const w of result.conversion.warnings) lines.push(`  warning: ${warningText(w)}`);
  }
  lines.push(
    'Every key is optional: delete one to get gohot\'s default. "$schema" gives your editor completion and the documentation of each key.',
  );
  if (path.isAbsolute(result.schema)) {
    lines.push(
      `"$schema" points at this gohot installation (${result.schema}); with gohot installed in the project's node_modules it would be "./node_modules/gohot/schema/gohot.schema.json".`,
    );
  }
  lines.push(`All keys: ${result.readme}`);
  return lines.map((l) => escapeControl(l));
}

function table(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, text]) => `  ${k.padEnd(width)}${text}`);
}

function starterKeyText(key: StarterKey, choice: MainChoice): string {
  switch (key) {
    case '$schema':
      return "the JSON Schema of gohot.json: editors show each key's documentation and check values";
    case 'main':
      if (choice.by === 'none') return '';
      if (choice.by === 'only')
        return `the main package to build and run (${choice.main}, the module's only one)`;
      return `the main package to build and run: ${choice.main} (${choice.by === 'cwd' ? 'the one in this directory' : 'the first'}); the module also has ${choice.others.join(', ')}`;
    case 'run.args':
      return 'arguments for your app (gohot ... -- args does the same for one run)';
    case 'run.stopTimeout':
      return 'how long the app may take to stop after SIGTERM before gohot kills it (default "3s")';
    case 'watch.patterns':
      return 'the files whose changes rebuild (gohot\'s defaults); "!" excludes, the order does not matter';
  }
}

/** The text after the key of one report line. */
export function noteText(note: AirNote): string {
  return reasonText(note.reason);
}

function reasonText(r: AirReason): string {
  switch (r.by) {
    case 'mapped':
      return `-> ${r.to.join(', ')}`;
    case 'air-default':
      return `not set: air's default ${j(r.value)} -> ${r.to.join(', ')}`;
    case 'go-build': {
      const parts = [`-> ${r.to.join(', ')}`];
      if (r.files)
        parts.push('gohot builds the package of the .go files named (the whole directory)');
      if (r.wrapper !== undefined) parts.push(`"${r.wrapper}" dropped: gohot runs go build itself`);
      if (r.dropped.length > 0)
        parts.push(`${r.dropped.join(' ')} dropped: gohot sets or reports that itself`);
      if (r.before.length > 0) {
        parts.push(
          `${argvs(r.before)} -> hooks.beforeBuild: air ran them at every build, before go build (a rule would run only for changes of its "on" globs), ${hookNote(r.before, false)}`,
        );
      }
      if (r.after.length > 0) {
        parts.push(`${argvs(r.after)} -> hooks.afterBuild: they run after each successful build`);
      }
      if (r.others.length > 0) {
        parts.push(
          `${argvs(r.others)} not converted: chained with | or ||, which no hook reproduces; gohot does not run them`,
        );
      }
      return parts.join('; ');
    }
    case 'include-ext': {
      const parts: string[] = [];
      if (r.built.length > 0)
        parts.push(`${r.built.join(', ')} -> watch.patterns (a change rebuilds)`);
      if (r.restart.length > 0) {
        parts.push(
          `${r.restart.join(', ')} -> watch.restartOnly (a change restarts the app without a build, and builds when the binary embeds the file)`,
        );
      }
      return parts.join('; ') || '-> watch.patterns';
    }
    case 'exclude-regex':
      return regexText(r.regex, r.conversion);
    case 'delay':
      return `-> watch.quietWindow "${r.ms}ms" (air waited this long after a change; gohot builds a lone save at once and lets nothing restart before files stayed quiet that long; its default 10ms is enough for an editor's save)`;
    case 'kill-delay':
      return `-> run.stopTimeout "${r.ms}ms" (${typeof r.raw === 'number' ? `air reads the bare number ${r.raw} as ${r.raw < 1_000_000 ? 'milliseconds' : 'nanoseconds'}` : `from ${j(r.raw)}`})`;
    case 'binary-args':
      return `-> ${r.to.join(', ')}${r.args.length > 0 ? ` ${j(r.args)}` : ''}; gohot runs the binary it builds itself`;
    case 'poll-interval':
      return `-> watch.pollInterval "${r.ms}ms"${r.raised ? ' (air polls at most every 500ms, whatever the file says)' : ''}`;
    case 'root-prefix':
      return `-> watch patterns start with "${r.root}/" (gohot runs in the module root, where go.mod is)`;
    case 'skip-dir':
      return `-> watch.patterns "!${r.dir}/" (air never watches its ${r.what}; gohot builds outside the project)`;
    case 'pre-cmd':
      return `-> hooks.beforeBuild ${argvs(r.commands)}: air runs pre_cmd before every build, and so does gohot, ${hookNote(r.commands, true)}`;
    case 'env-files':
      return `-> run.envFile and build.envFile ${j(r.files)}: air loads them into its environment before each build, for go build and the app; a variable already set wins, as in air; a missing file fails the cycle (air skipped it)`;
    case 'env-wrapper': {
      const rest = r.to.filter((t) => t !== 'run.envFile');
      return `"${r.tool}" dropped -> run.envFile ${j(r.files)}${r.files.length > 1 ? ' (reversed: in godotenv the first file wins, in gohot the last)' : ''}${rest.length > 0 ? `, ${rest.join(', ')}${r.args.length > 0 ? ` ${j(r.args)}` : ''}` : ''}; gohot reads the files itself and runs the binary it builds`;
    }
    case 'air-rule':
      return `-> rules ${j({ name: r.name, on: r.on, run: r.run })}: gohot runs it in the reload cycle for the changes that match "on", then builds (air ran it alone, after 1s, and rebuilt only for files it wrote); all rules also run at start-up; "on" must not match what the rule writes${r.left.length > 0 ? `; exclude_regex ${r.left.map((x) => j(x)).join(', ')} has no glob equivalent: add a "!" glob to "on" by hand` : ''}`;
    case 'proxy-listen':
      return `-> proxy.listen ${j(r.listen)}: gohot listens on loopback only (air on every interface); write "0.0.0.0:${r.listen}" to reach it from another machine`;
    case 'proxy-target':
      return `-> proxy.target ${j(r.target)} (air forwarded to localhost)`;
    case 'proxy-hold':
      return `-> proxy.holdTimeout "${r.ms}ms": how long a request waits for a restarting app; past it air answered 500, gohot forwards the request anyway`;
    case 'same-as-gohot':
      return 'what gohot does anyway';
    case 'gohot-binary':
      return 'gohot builds into its own directory outside the project and runs the binary from there';
    case 'content-hash':
      return 'gohot always compares file contents: a save that changes nothing never rebuilds';
    case 'module-root-only':
      return 'gohot watches the module (go.mod) and its local replace and go.work directories only';
    case 'symlinks':
      return 'gohot follows symlinks whose target is inside the watched module, and warns about others';
    case 'no-log-file':
      return 'gohot prints build errors as file:line:col, it writes no log file';
    case 'graceful-stop':
      return 'air killed the app with SIGKILL at once; gohot sends SIGTERM and kills after run.stopTimeout (3s)';
    case 'kill-delay-zero':
      return 'air sent SIGKILL right after SIGINT; gohot keeps its 3s grace period (set run.stopTimeout "0" for air\'s behaviour)';
    case 'only-with':
      return `only matters together with ${r.other}`;
    case 'time-stamps':
      return 'every gohot line starts with the time';
    case 'own-colours':
      return 'gohot has its own colours (NO_COLOR=1 or --no-color turns them off)';
    case 'run-dir-outside':
      return 'gohot builds outside the project, in a directory kept between sessions to build faster';
    case 'no-banner':
      return 'gohot prints no banner';
    case 'other-platform':
      return `gohot runs on Linux; the [build.${r.os}] overrides are for air on ${r.os}`;
    case 'delay-zero':
      return "gohot's quiet window (10ms) folds the events of one save";
    case 'overridden-by':
      return `${r.other} decides how air ran the app`;
    case 'not-go-build':
      return `not a go build: gohot builds the main package with go build itself and does not run ${argvs(r.commands)}`;
    case 'on-exit':
      return `air runs post_cmd once, when it exits (not after a build); gohot has no exit hook: run ${argvs(r.commands)} after gohot stops`;
    case 'air-rules':
      return 'air\'s rules are not converted; write each as a gohot rule ({"name", "on": globs, "run": argv}) in "rules"';
    case 'env-override':
      return `"${r.tool} -o" overrides variables already set; gohot's env files never do: set run.env`;
    case 'proxy-port-missing':
      return `the proxy needs ${r.key}: without it air's proxy had no port; set proxy.listen and proxy.target`;
    case 'wrapper':
      if (r.tool === 'godotenv' || r.tool === 'dotenv') {
        return `gohot runs the binary itself, not under ${r.tool}: name its .env files in run.envFile`;
      }
      if (r.debug) {
        return `gohot runs the binary itself, not under ${r.tool}; build.debug is set to true (DWARF kept): attach with \`dlv attach <pid>\``;
      }
      return `gohot runs the binary itself, not under ${r.tool}`;
    case 'opaque-command':
      return `gohot cannot read this shell command (${r.what}); it would be ${argv(r.command)}; gohot builds the main package with go build`;
    case 'keeps-app':
      return 'gohot always keeps the last good version running after a failed build';
    case 'no-rerun':
      return 'gohot does not restart an app that exits by itself; it waits for a change (or r + Enter)';
    case 'no-quiet-mode':
      return 'gohot has no quiet mode; it prints one line per reload';
    case 'color-mode':
      return r.mode === 'never'
        ? 'no key: use NO_COLOR=1 or --no-color'
        : 'no key: gohot colours a terminal, FORCE_COLOR=1 forces colours';
    case 'no-clear-screen':
      return 'gohot does not clear the screen';
    case 'outside-root':
      return `${j(r.path)} is outside the module: gohot watches the module root and go.work/replace directories`;
    case 'not-a-glob':
      return `${j(r.pattern)} cannot be a gohot pattern: it ${r.what}`;
    case 'wrong-type':
      return `air expects ${r.expected} here (air would refuse the file); ignored`;
    case 'unknown-key': {
      const what = r.table ? 'not a table air reads' : 'not a key air reads';
      return `${what}${r.suggestion === undefined ? '' : ` (did you mean ${r.table ? `[${r.suggestion}]` : r.suggestion}?)`}; ignored`;
    }
  }
}

function regexText(
  regex: string,
  c: Extract<AirReason, { by: 'exclude-regex' }>['conversion'],
): string {
  switch (c.kind) {
    case 'exact':
      return `${j(regex)} -> watch.patterns ${c.globs.map((g) => j(`!${g}`)).join(', ')}`;
    case 'approximate':
      return `${j(regex)} -> watch.patterns ${c.globs.map((g) => j(`!${g}`)).join(', ')} (an unescaped "." matches any character; read as a dot)`;
    case 'matches-nothing':
      return `${j(regex)} matches no file in air, which matches against absolute paths ("^" anchors at "/")`;
    case 'unsupported':
      return `${j(regex)} has no glob equivalent (${c.what}); add a "!" pattern to watch.patterns by hand`;
    case 'invalid':
      return `${j(regex)} is not a valid regular expression (${c.message})`;
  }
}

/** One warning line. */
export function warningText(w: AirWarning): string {
  switch (w.by) {
    case 'output-mismatch':
      return `build.cmd writes ${j(w.output)} but ${w.binKey} runs ${j(w.bin)}: air ran a binary the build did not write; gohot runs the one it builds`;
    case 'cross-compile':
      return `build.cmd sets ${w.name}=${w.value}; not written to build.env: gohot runs what it builds, on this machine`;
    case 'several-mains':
      return `main is ${w.chosen}; the module also has ${w.others.join(', ')}`;
    case 'no-main':
      return 'no main package found; set "main" once the module has one';
    case 'rule-dir-excluded':
      return `exclude_dir ${j(w.dir)} is not written to watch.patterns: air still watched it for its rule, and in gohot an exclude wins over a rule's "on"; a .go file there now rebuilds`;
    case 'hooks-restart-only':
      return `air ran pre_cmd and the build for changes of ${w.restartOnly.join(', ')}; gohot restarts the app for them without a build, so hooks.beforeBuild does not run: if a hook reads these files, move them to watch.patterns`;
  }
}
