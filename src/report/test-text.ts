import path from 'node:path';
import pc from 'picocolors';
import type { ChangeReason } from '../classify/classify.js';
import { formatMs } from '../duration.js';
import { formatDiagnostic } from '../go/diagnostics.js';
import type { TestRunReason } from '../go/test-graph.js';
import { outputPosition } from '../go/test-json.js';
import type { Batch } from '../schedule/scheduler.js';
import {
  describeBackend,
  describeCancel,
  describeChangeReason,
  describeFiles,
  describeTriggerKind,
  displayPath,
  escapeControl,
} from './describe.js';
import type { SessionEvent } from './events.js';
import { createTerminalReporter, type TerminalReporterOptions } from './terminal.js';
import type { PackageRun, TestReporter, TestSessionEvent } from './test-events.js';

/** Options of the test reporter: those of the terminal reporter it shares lines with. */
export type TestTextOptions = TerminalReporterOptions;

/** What started a test run, in words: "a/a.go changed", "first run", "all tests requested". */
export function describeTestTrigger(batch: Batch, cwd: string): string {
  const parts = batch.files.length > 0 ? [`${describeFiles(batch.files, cwd)} changed`] : [];
  for (const t of batch.triggers) {
    if (t.kind === 'change' || t.kind === 'restart') continue;
    const words = t.kind === 'start' ? 'first run' : describeTriggerKind(t, cwd);
    if (!parts.includes(words)) parts.push(words);
  }
  return parts.join(', ');
}

/** Why a package's tests run. */
export function describeRunReason(reason: TestRunReason): string {
  switch (reason.by) {
    case 'all':
      return 'selected';
    case 'changed':
      return `changed`;
    case 'imports':
      return reason.via === reason.pkg
        ? `imports ${reason.pkg}`
        : `imports ${reason.pkg} (via ${reason.via})`;
  }
}

/** Reasons a change runs nothing that are said without --verbose. */
const SAID_REASONS: ReadonlySet<ChangeReason['by']> = new Set([
  'outside-closure',
  'constraint-excluded',
  'comments-only',
  'not-in-build',
]);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The human reporter of `gohot test`: one line per run (trigger, packages run and skipped,
 * test counts, time), then each failure with its output and `file:line` links relative to
 * the shell's directory; a test binary that does not build reads like a build error. The
 * events it shares with `gohot run` are worded by the terminal reporter.
 */
export function createTestTextReporter(options: TestTextOptions = {}): TestReporter {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const c = pc.createColors(options.color ?? false);
  const cwd = options.cwd ?? process.cwd();
  const now = options.now ?? (() => new Date());
  const stamp = () => c.dim(now().toTimeString().slice(0, 8));
  const line = (text: string) => write(`${stamp()} ${c.cyan('gohot')}  ${text}`);
  const debug = (text: string) => {
    if (options.verbose) line(c.dim(`[test] ${escapeControl(text)}`));
  };
  const shared = createTerminalReporter({ ...options, write, keys: false });
  const rel = (abs: string) => {
    const r = path.relative(cwd, abs);
    return r !== '' && r.length < abs.length ? r : abs;
  };

  const failureBlock = (p: PackageRun) => {
    for (const f of p.failures) {
      if (f.hasFailedSubtests && f.output.length === 0) continue;
      write(`${c.red('--- FAIL:')} ${escapeControl(f.test)} ${c.dim(`(${escapeControl(p.pkg)})`)}`);
      writeOutput(f.output, p.dir);
    }
    if (p.failures.length === 0 && p.outcome === 'fail') {
      // A failure outside any test: a panic in init or TestMain, a timeout, os.Exit.
      write(`${c.red('--- FAIL:')} ${escapeControl(p.pkg)} ${c.dim('(outside any test)')}`);
      writeOutput(p.output, p.dir);
    }
  };

  const writeOutput = (lines: readonly string[], dir: string | undefined) => {
    const panic = lines.findIndex((l) => l.startsWith('panic: '));
    if (panic !== -1) {
      // A panic reads like a build error: the first frame in the package's files, then why.
      const frame = lines
        .slice(panic)
        .map(outputPosition)
        .find((pos) => pos !== undefined && dir !== undefined && pos.file.startsWith(dir));
      if (frame !== undefined) {
        write(escapeControl(`${rel(frame.file)}:${frame.line}: ${lines[panic]}`));
      }
    }
    for (const l of lines) {
      const pos = panic === -1 ? outputPosition(l) : undefined;
      if (pos !== undefined && dir !== undefined && !path.isAbsolute(pos.file)) {
        write(escapeControl(`${rel(path.join(dir, pos.file))}:${pos.line}: ${pos.message}`));
      } else write(`    ${escapeControl(l.replace(/^ {4}/, ''))}`);
    }
  };

  return {
    report(event: TestSessionEvent): void {
      switch (event.type) {
        case 'test-session-started': {
          const config = event.configSource ? displayPath(event.configSource, cwd) : 'defaults';
          line(
            `${escapeControl(event.goVersion)}, module ${displayPath(event.moduleRoot, cwd)}, testing ${escapeControl(event.patterns.join(' '))}, config ${config}`,
          );
          for (const root of event.roots) {
            line(`watching ${displayPath(root.root, cwd)} (${describeBackend(root)})`);
          }
          const keys = options.keys
            ? '; keys (then Enter): a all, f failed, Enter again, q quit'
            : '';
          line(`tracking ${event.trackedFiles} files${keys}`);
          return;
        }
        case 'test-run-started':
          for (const [pkg, reason] of event.plan.selection.run) {
            debug(`run ${pkg}: ${describeRunReason(reason)}`);
          }
          for (const pkg of event.plan.selection.skipped) debug(`skip ${pkg}: not affected`);
          for (const args of event.commands) debug(`go ${args.join(' ')}`);
          return;
        case 'test-run-finished': {
          const sum = (k: 'passed' | 'failed' | 'skipped') =>
            event.packages.reduce((n, p) => n + p[k], 0);
          const broken = event.packages.filter((p) => p.outcome === 'build-failed');
          const failed = sum('failed');
          const ok =
            failed === 0 &&
            broken.length === 0 &&
            event.packages.every((p) => p.outcome !== 'fail');
          const cached = event.packages.filter((p) => p.cached).length;
          // go test lists a selected package without test files too ("? pkg [no test files]").
          const noTests = event.packages.filter(
            (p) => p.outcome === 'skip' && p.passed + p.failed + p.skipped === 0,
          ).length;
          const counts = `${sum('passed')} passed, ${failed} failed, ${sum('skipped')} skipped`;
          const verdict = ok ? c.green(`ok ${counts}`) : c.red(`FAIL ${counts}`);
          const build =
            broken.length > 0
              ? `; ${c.red(`${plural(broken.length, 'test binary')} did not build`)}`
              : '';
          const cache =
            (cached > 0 ? `, ${cached} cached` : '') +
            (noTests > 0 ? `, ${noTests} without tests` : '');
          line(
            `${escapeControl(describeTestTrigger(event.batch, cwd))} -> ${plural(event.packages.length - noTests, 'package')} tested${cache}, ${event.skipped.length} skipped -> ${verdict}${build} (${formatMs(event.durationMs)})`,
          );
          for (const p of event.packages)
            debug(`${p.pkg}: ${p.outcome}${p.cached ? ' (cached)' : ''}`);
          for (const d of event.diagnostics) write(escapeControl(formatDiagnostic(d, cwd)));
          for (const p of event.packages) failureBlock(p);
          return;
        }
        case 'test-run-cancelled':
          line(
            `${c.yellow(`test run #${event.generation} cancelled`)} after ${formatMs(event.durationMs)}: ${describeCancel(event.reason, cwd)}`,
          );
          return;
        case 'test-run-skipped': {
          const { reason } = event;
          const why =
            reason.by === 'no-failures'
              ? 'no test failed in the last run'
              : reason.by === 'nothing-affected'
                ? `${describeFiles(reason.files, cwd)}: no selected package's tests can change`
                : `${describeFiles(reason.files, cwd)}: same content as the last run saw`;
          line(
            `${escapeControl(describeTestTrigger(event.batch, cwd))} -> no tests run: ${escapeControl(why)}`,
          );
          return;
        }
        case 'test-run-not-started':
          line(`${c.yellow('warning:')} ${escapeControl(event.message)}`);
          return;
        case 'decision':
          // A change that runs nothing says why, in test words.
          if (event.stage === 'classify' && event.action === 'ignore') {
            const text = `${displayPath(event.subject, cwd)} changed -> no tests run: ${describeChangeReason(event.reason)}`;
            if (SAID_REASONS.has(event.reason.by)) line(escapeControl(text));
            else debug(text);
            return;
          }
          shared.report(event as SessionEvent);
          return;
        default:
          shared.report(event as SessionEvent);
      }
    },
  };
}
