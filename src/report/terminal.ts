import pc from 'picocolors';
import type { ChangeReason } from '../classify/classify.js';
import { formatMs } from '../duration.js';
import { formatDiagnostic } from '../go/diagnostics.js';
import {
  describeBackend,
  describeCancel,
  describeDecision,
  describeFiles,
  describeModelKept,
  describeObservation,
  describeRuleEnd,
  describeStop,
  describeTrigger,
  displayPath,
  escapeControl,
  hostPort,
} from './describe.js';
import type { Decision, ErrorInfo, Reporter, SessionEvent } from './events.js';
import { createSummaryCollector } from './summary.js';
import { describeProgress, describeReloadTimes, describeSummary } from './timings-text.js';

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
  /**
   * Writes text without a newline; given on a terminal, build progress is one line updated
   * in place (carriage return), cleared before any other line. Without it, progress is a
   * line every {@link PROGRESS_LINE_EVERY_MS}. @default none
   */
  readonly writeInPlace?: (text: string) => void;
  /** Progress shows once a build has run this long. @default 2000 */
  readonly progressAfterMs?: number;
}

/** Without a terminal, a progress line at most this often. */
export const PROGRESS_LINE_EVERY_MS = 10_000;

/** True when colours should be used on this stream (a TTY and NO_COLOR not set). */
export function shouldUseColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** The human reporter: one line per reload, errors as `path:line:col: message`. */
export function createTerminalReporter(options: TerminalReporterOptions = {}): Reporter {
  const rawWrite = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const inPlace = options.writeInPlace;
  const progressAfterMs = options.progressAfterMs ?? 2000;
  // The progress line on a terminal is erased before anything else is written.
  let progressShown = false;
  let lastProgressLineAt: number | undefined;
  const lastProgress = new Map<number, { done: number; total: number | undefined }>();
  const write = (line: string) => {
    if (progressShown && inPlace) {
      inPlace('\r\u001b[K');
      progressShown = false;
    }
    rawWrite(line);
  };
  const summary = createSummaryCollector();
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
      summary.add(event);
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
          if (event.airConfig !== undefined) {
            line(
              `${displayPath(event.airConfig, cwd)} found and no gohot.json: \`gohot init --from-air\` converts it`,
            );
          }
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
            const got = event.action === 'cancel' ? lastProgress.get(event.subject) : undefined;
            const far = got ? ` (${describeProgress(got.done, got.total)} by then)` : '';
            line(`${escapeControl(describeDecision(event, cwd))}${far}`);
          } else debug(event.stage, describeDecision(event, cwd));
          return;
        case 'watch': {
          const { level, text } = describeObservation(event.observation, cwd);
          if (level === 'warn') warn(text);
          else debug('watch', text);
          return;
        }
        case 'build-started':
          // The begin line of an editor's problem matcher (docs/events.md#vs-code-task): the
          // result line ("-> built", "-> build failed", "build #N cancelled") ends the build.
          line(c.dim(`build #${event.generation} started`));
          return;
        case 'build-failed': {
          lastProgress.clear();
          lastProgressLineAt = undefined;
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
        case 'rule-started':
          if (options.verbose)
            line(c.dim(`rule ${escapeControl(event.rule)} started (#${event.generation})`));
          return;
        case 'hook-output':
          line(`${c.dim(`${event.hook} |`)} ${escapeControl(event.text)}`);
          return;
        case 'hook-failed': {
          const after =
            event.keptPid !== undefined
              ? `; previous version keeps running (pid ${event.keptPid})`
              : event.hook === 'afterBuild'
                ? '; starting the new build anyway'
                : '';
          line(
            `${c.red(`${event.hook} hook failed`)} (${describeRuleEnd(event.end)}): ${escapeControl(event.command.join(' '))}${after}`,
          );
          return;
        }
        case 'rule-cancelled':
          line(
            `rule ${escapeControl(event.rule)} cancelled (#${event.generation}), ${escapeControl(describeCancel(event.reason, cwd))}`,
          );
          return;
        case 'rule-failed': {
          const kept =
            event.keptPid === undefined
              ? 'no previous version is running'
              : `previous version keeps running (pid ${event.keptPid})`;
          line(
            `${describeTrigger(event.batch, cwd)} -> ${c.red(`rule ${escapeControl(event.rule)} failed`)} (${describeRuleEnd(event.end)}) ${formatMs(event.durationMs)}; ${kept}`,
          );
          if (event.text.trim() !== '') {
            for (const text of event.text.trimEnd().split('\n')) {
              write(`${c.dim(`${escapeControl(event.rule)} |`)} ${escapeControl(text)}`);
            }
          }
          return;
        }
        case 'reloaded':
          lastProgress.clear();
          lastProgressLineAt = undefined;
          line(
            `${describeTrigger(event.batch, cwd)}${event.rulesMs === undefined ? '' : ` -> generated ${formatMs(event.rulesMs)}`} -> built ${formatMs(event.buildMs)} -> ${event.first ? 'started' : 'restarted'} pid ${event.pid} (${describeReloadTimes(event)})`,
          );
          return;
        case 'build-progress': {
          lastProgress.set(event.generation, { done: event.done, total: event.total });
          if (event.elapsedMs < progressAfterMs) return;
          const text = `${stamp()} ${c.cyan('gohot')}  building: ${describeProgress(event.done, event.total)} (${formatMs(event.elapsedMs)})`;
          if (inPlace) {
            inPlace(`\r\u001b[K${text}`);
            progressShown = true;
            return;
          }
          const at = event.time;
          if (lastProgressLineAt !== undefined && at - lastProgressLineAt < PROGRESS_LINE_EVERY_MS)
            return;
          lastProgressLineAt = at;
          write(text);
          return;
        }
        case 'app-stopping':
          debug('run', `stopping pid ${event.pid} (${event.signal})`);
          return;
        case 'app-stopped':
          debug(
            'run',
            `pid ${event.pid} stopped in ${formatMs(event.durationMs)}${event.sigkill ? ' (killed after the grace period)' : ''}`,
          );
          return;
        case 'app-started':
          debug('run', `started pid ${event.pid}`);
          return;
        case 'app-ready':
          debug('run', `pid ${event.pid} ready after ${formatMs(event.ms)} (${event.how})`);
          return;
        case 'ended':
          for (const text of describeSummary(summary.summary())) line(text);
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
        case 'assets-changed':
          line(`${describeFiles(event.files, cwd)} changed -> pages reloaded (no build)`);
          return;
        case 'sockets-held':
          line(
            `holding ${event.sockets.map((s) => `${hostPort(s.host, s.port)} (${s.name})`).join(', ')} for the app: it gets them as fds from 3 (LISTEN_FDS); clients wait during restarts`,
          );
          return;
        case 'proxy-listening':
          line(`proxy ${event.url} -> ${event.target} (pages reload when the app is ready)`);
          return;
        case 'orphan-reaped':
          warn(
            `stopped app pid ${event.appPid}, left running by gohot pid ${event.gohotPid} that was killed without cleaning up`,
          );
          return;
        case 'config-reloaded': {
          const later = event.atNextStart.join(', ');
          const wait =
            later === ''
              ? ''
              : `; ${later} ${event.atNextStart.length === 1 ? 'takes' : 'take'} effect when gohot starts again`;
          line(
            `config reloaded (${escapeControl(event.changed.join(', ') + wait) || 'no effective change'})`,
          );
          return;
        }
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
