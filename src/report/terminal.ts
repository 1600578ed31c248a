import pc from 'picocolors';
import type { ChangeReason } from '../classify/classify.js';
import { formatMs } from '../duration.js';
import { formatDiagnostic } from '../go/diagnostics.js';
import {
  describeBackend,
  describeDecision,
  describeFiles,
  describeModelKept,
  describeObservation,
  describeStop,
  describeTrigger,
  displayPath,
  escapeControl,
} from './describe.js';
import type { Decision, ErrorInfo, Reporter, SessionEvent } from './events.js';

export { describeFiles } from './describe.js';

/** Options of the terminal reporter. */
export interface TerminalReporterOptions {
  /** Where lines go. @default process.stderr */
  readonly write?: (line: string) => void;
  /** Colours on/off. @default a TTY on stderr and NO_COLOR unset */
  readonly color?: boolean;
  /** Show debug events (every watcher and scheduler decision). @default false */
  readonly verbose?: boolean;
  /** Paths are shown relative to this directory (the shell's). @default process.cwd() */
  readonly cwd?: string;
  /** gohot reads `r` + Enter from the terminal, so say so. @default false */
  readonly keys?: boolean;
  /** Clock for the time stamp. @default () => new Date() */
  readonly now?: () => Date;
}

/** True when colours should be used on this stream (a TTY and NO_COLOR not set). */
export function shouldUseColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** The human reporter: one line per reload, errors as `path:line:col: message`. */
export function createTerminalReporter(options: TerminalReporterOptions = {}): Reporter {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const c = pc.createColors(options.color ?? shouldUseColor(process.stderr, process.env));
  const cwd = options.cwd ?? process.cwd();
  const now = options.now ?? (() => new Date());
  const stamp = () => c.dim(now().toTimeString().slice(0, 8));
  const line = (text: string) => write(`${stamp()} ${c.cyan('gohot')}  ${text}`);
  // Values are escaped before colour is added: only gohot's own escapes reach the terminal.
  const warn = (text: string, hint?: string) => {
    line(`${c.yellow('warning:')} ${escapeControl(text)}`);
    if (hint) write(`  ${c.dim(escapeControl(hint))}`);
  };
  const debug = (stage: string, text: string) => {
    if (options.verbose) line(c.dim(`[${stage}] ${escapeControl(text)}`));
  };
  const errorText = (e: ErrorInfo) => (e.hint ? `${e.message} ${e.hint}` : e.message);
  // A skipped directory is named once: reconciliation walks it again every 30 s.
  const skippedDirs = new Set<string>();
  const unreadable = new Set<string>();

  return {
    report(event: SessionEvent): void {
      switch (event.type) {
        case 'started': {
          const config = event.configSource ? displayPath(event.configSource, cwd) : 'defaults';
          line(
            `${escapeControl(event.goVersion)}, module ${displayPath(event.moduleRoot, cwd)}, main ${escapeControl(event.mainPackage)}, config ${config}`,
          );
          line(`building into ${displayPath(event.runDir, undefined)} (kept between sessions)`);
          for (const root of event.roots) {
            line(`watching ${displayPath(root.root, cwd)} (${describeBackend(root)})`);
          }
          const polled =
            event.polledSubtrees > 0
              ? ` (${event.polledSubtrees} subtree(s) polled: could not be watched, see above)`
              : '';
          const keys = options.keys ? '; press r + Enter to rebuild, Ctrl-C to stop' : '';
          line(`tracking ${event.trackedFiles} files${polled}${keys}`);
          return;
        }
        case 'decision':
          if (event.action === 'skip-dir') {
            if (skippedDirs.has(event.subject)) return;
            skippedDirs.add(event.subject);
          }
          if (event.action === 'restart') {
            // Why the app restarts is --verbose detail, but gohot being unable to compare
            // build IDs changes what it does: that is said once (per distinct problem).
            const text = describeDecision(event, cwd);
            const { reason } = event;
            if (reason.by === 'build-id-unreadable' && !unreadable.has(reason.problem.message)) {
              unreadable.add(reason.problem.message);
              warn(text, reason.problem.hint);
            } else debug(event.stage, text);
            return;
          }
          // Cancelling or keeping a build, keeping the app, or a Go file that changed without a
          // reload changes what the user waits for: always say so, with the reason.
          if (event.stage === 'build' || event.action === 'keep' || explainsNoReload(event)) {
            line(escapeControl(describeDecision(event, cwd)));
          } else debug(event.stage, describeDecision(event, cwd));
          return;
        case 'watch': {
          const { level, text } = describeObservation(event.observation, cwd);
          if (level === 'warn') warn(text);
          else debug('watch', text);
          return;
        }
        case 'build-started':
          if (options.verbose) line(c.dim(`build #${event.generation} started`));
          return;
        case 'build-failed': {
          const kept =
            event.keptPid === undefined
              ? 'no previous version is running'
              : `previous version keeps running (pid ${event.keptPid})`;
          line(
            `${describeTrigger(event.batch, cwd)} -> ${c.red('build failed')} ${formatMs(event.durationMs)}; ${kept}`,
          );
          if (event.diagnostics.length > 0) {
            for (const d of event.diagnostics) write(escapeControl(formatDiagnostic(d, cwd)));
          } else if (event.text.trim() !== '') {
            write(escapeControl(event.text.trimEnd(), true));
          }
          return;
        }
        case 'reloaded':
          line(
            `${describeTrigger(event.batch, cwd)} -> built ${formatMs(event.buildMs)} -> ${event.first ? 'started' : 'restarted'} pid ${event.pid} (${formatMs(event.restartMs)})`,
          );
          return;
        case 'restarted':
          line(
            `${describeTrigger(event.batch, cwd)} -> restarted pid ${event.pid} without a build (${formatMs(event.restartMs)})`,
          );
          return;
        case 'app-exited': {
          const { app } = event.exit;
          const how =
            app.kind === 'killed' ? `killed by ${app.signal}` : `exited with code ${app.code}`;
          line(
            `${c.yellow(`app (pid ${event.pid}) ${how}`)}; waiting for a change${options.keys ? ' (or r + Enter)' : ''} to restart`,
          );
          return;
        }
        case 'app-stopping':
          return;
        case 'assets-changed':
          line(`${describeFiles(event.files, cwd)} changed -> pages reloaded (no build)`);
          return;
        case 'proxy-listening':
          line(`proxy ${event.url} -> ${event.target} (pages reload when the app is ready)`);
          return;
        case 'orphan-reaped':
          warn(
            `stopped app pid ${event.appPid}, left running by gohot pid ${event.gohotPid} that was killed without cleaning up`,
          );
          return;
        case 'config-reloaded':
          line(
            `config reloaded (${escapeControl(event.changed.join(', ')) || 'no effective change'})`,
          );
          return;
        case 'config-rejected':
          warn(`${event.error.message} The last good config stays in effect.`, event.error.hint);
          return;
        case 'main-kept':
          warn(`${errorText(event.error)} Still building ${event.main}.`);
          return;
        case 'model-listed': {
          const text = `go list: built from ${event.packages} packages, ${event.editable} of them yours (${event.files} files), listed in ${formatMs(event.durationMs)}`;
          if (event.first) line(text);
          else debug('model', text);
          for (const e of event.errors)
            debug('model', `${escapeControl(e.importPath)}: ${escapeControl(e.message)}`);
          return;
        }
        case 'tiers': {
          const polled = event.pollIntervals
            ? `; polled every ${formatMs(event.pollIntervals.hotMs)} and ${formatMs(event.pollIntervals.coldMs)}`
            : '';
          const text = `hashing ${event.hot} files the build can read, ${event.cold} more watched by existence only${polled}`;
          if (event.first) line(text);
          else debug('watch', text);
          return;
        }
        case 'model-kept':
          warn(describeModelKept(event.reason, event.kept));
          return;
        case 'roots-changed':
          line(`watch roots changed: ${event.roots.map((r) => displayPath(r, cwd)).join(', ')}`);
          return;
        case 'failed':
          if (event.during === 'cycle') {
            warn(`reload #${event.generation} failed: ${errorText(event.error)}`);
          } else {
            warn(errorText(event.error));
          }
          return;
        case 'stopping':
          line(`stopping (${describeStop(event.reason)})`);
          return;
      }
    },
  };
}

/** Reasons shown without --verbose: a source file changed and the binary was not rebuilt. */
const NO_RELOAD_REASONS: ReadonlySet<ChangeReason['by']> = new Set([
  'test-file',
  'outside-closure',
  'constraint-excluded',
  'comments-only',
  'not-in-build',
]);

function explainsNoReload(d: Decision): boolean {
  return d.stage === 'classify' && d.action === 'ignore' && NO_RELOAD_REASONS.has(d.reason.by);
}
