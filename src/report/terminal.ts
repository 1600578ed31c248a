import path from 'node:path';
import pc from 'picocolors';
import { formatMs } from '../duration.js';
import { formatDiagnostic } from '../go/diagnostics.js';
import type { Reporter, SessionEvent } from './events.js';

/** Options of the terminal reporter. */
export interface TerminalReporterOptions {
  /** Where lines go. @default process.stderr */
  readonly write?: (line: string) => void;
  /** Colours on/off. @default a TTY on stderr and NO_COLOR unset */
  readonly color?: boolean;
  /** Show debug events (every watcher and scheduler decision). @default false */
  readonly verbose?: boolean;
  /** Paths are shown relative to this directory. @default process.cwd() */
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

/** Formats a list of files for the one-line summary: "a.go", "a.go, b.go", "a.go and 4 more". */
export function describeFiles(files: readonly string[], cwd: string): string {
  const rel = files.map((f) => path.relative(cwd, f) || f);
  if (rel.length === 0) return '';
  if (rel.length <= 2) return rel.join(', ');
  return `${rel[0]} and ${rel.length - 1} more`;
}

/** The human reporter: one line per reload, errors as `path:line:col: message`. */
export function createTerminalReporter(options: TerminalReporterOptions = {}): Reporter {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const c = pc.createColors(options.color ?? shouldUseColor(process.stderr, process.env));
  const cwd = options.cwd ?? process.cwd();
  const now = options.now ?? (() => new Date());
  const stamp = () => c.dim(now().toTimeString().slice(0, 8));
  const line = (text: string) => write(`${stamp()} ${c.cyan('gohot')}  ${text}`);

  return {
    report(event: SessionEvent): void {
      switch (event.type) {
        case 'started': {
          const config = event.configSource
            ? path.relative(cwd, event.configSource) || event.configSource
            : 'defaults';
          line(
            `${event.goVersion}, module ${path.relative(cwd, event.moduleRoot) || '.'}, main ${event.mainPackage}, config ${config}`,
          );
          for (const root of event.roots) {
            line(`watching ${path.relative(cwd, root.root) || '.'} (${root.reason})`);
          }
          const polled =
            event.polledSubtrees > 0
              ? ` (${event.polledSubtrees} subtree(s) polled: could not be watched, see above)`
              : '';
          const keys = options.keys ? '; press r + Enter to rebuild, Ctrl-C to stop' : '';
          line(`tracking ${event.trackedFiles} files${polled}${keys}`);
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
            `${event.trigger} -> ${c.red('build failed')} ${formatMs(event.durationMs)}; ${kept}`,
          );
          if (event.diagnostics.length > 0) {
            for (const d of event.diagnostics) write(formatDiagnostic(d, cwd));
          } else if (event.text.trim() !== '') {
            write(event.text.trimEnd());
          }
          return;
        }
        case 'reloaded':
          line(
            `${event.trigger} -> built ${formatMs(event.buildMs)} -> ${event.first ? 'started' : 'restarted'} pid ${event.pid} (${formatMs(event.restartMs)})`,
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
        case 'config-reloaded':
          line(`config reloaded (${event.changed.join(', ') || 'no effective change'})`);
          return;
        case 'info':
          line(event.message);
          return;
        case 'warning':
          line(`${c.yellow('warning:')} ${event.message}`);
          if (event.hint) write(`  ${c.dim(event.hint)}`);
          return;
        case 'debug':
          if (options.verbose) line(c.dim(`[${event.stage}] ${event.message}`));
          return;
        case 'stopping':
          line(`stopping (${event.reason})`);
          return;
      }
    },
  };
}
