/**
 * The words for gohot's values: every reason, trigger and observation is turned into text
 * here and nowhere else, so the terminal, `explain` and the trace say the same thing.
 */
import path from 'node:path';
import type { ChangeAction, ChangeReason } from '../classify/classify.js';
import type { RestartReason } from '../compile/swap.js';
import type { MatchVerdict } from '../config/roots-matcher.js';
import { formatMs } from '../duration.js';
import type { RunEnd } from '../run/runner.js';
import type { Batch, CancelReason, KeepReason, Trigger } from '../schedule/scheduler.js';
import type {
  BackendReason,
  DirSkipReason,
  FileReason,
  RemoteWhy,
  RootStatus,
  WatchObservation,
} from '../watch/types.js';
import type { Decision, StopReason } from './events.js';

// C0 controls (ESC, CR, BEL ...), DEL and C1 controls: a file name or config key holding
// them could move the cursor, recolour or rewrite the terminal (terminal injection).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Makes text safe to print: control characters become visible escapes (`\x1b`, `\n`).
 * With `keepLines`, newlines and tabs stay (multi-line compiler output).
 */
export function escapeControl(text: string, keepLines = false): string {
  return text.replace(keepLines ? CONTROL_BUT_LINES : CONTROL, (ch) => {
    return NAMED[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** A path as the user should see it: relative to `cwd` (absolute without one), escaped. */
export function displayPath(absPath: string, cwd: string | undefined): string {
  if (cwd === undefined) return escapeControl(absPath);
  const rel = path.relative(cwd, absPath);
  return rel === '' ? '.' : escapeControl(rel);
}

/** Formats a list of files for the one-line summary: "a.go", "a.go, b.go", "a.go and 4 more". */
export function describeFiles(files: readonly string[], cwd: string): string {
  const rel = files.map((f) => escapeControl(path.relative(cwd, f) || f));
  if (rel.length === 0) return '';
  if (rel.length <= 2) return rel.join(', ');
  return `${rel[0]} and ${rel.length - 1} more`;
}

/** Why a file is or is not tracked: `included by "**\/*.go"`, `matches no pattern` ... */
export function describeFileReason(reason: FileReason, tracked: boolean): string {
  return escapeControl(fileReasonText(reason, tracked));
}

function fileReasonText(reason: FileReason, tracked: boolean): string {
  switch (reason.by) {
    case 'config-file':
      return 'config file';
    case 'glob':
      return `included by "${reason.pattern}"`;
    case 'exclude':
      return `excluded by "${reason.pattern}"`;
    case 'exact': {
      const beats = reason.beats ? ` (an exact path beats "${reason.beats}")` : '';
      return `${tracked ? 'included' : 'excluded'} by exact path "${reason.pattern}"${beats}`;
    }
    case 'no-match':
      return 'matches no pattern';
    case 'root-itself':
      return 'is the module root itself';
    case 'build-input':
      return 'read by the build (go list)';
    case 'test-file':
      return 'a test file (go test builds it, the binary does not)';
    case 'outside-root':
      return `outside the module root ${reason.root}`;
    case 'outside-roots':
      return 'outside every watched root';
  }
}

/** The words for a pattern verdict. */
export function describeMatch(verdict: MatchVerdict): string {
  const { included, ...reason } = verdict;
  return describeFileReason(reason, included);
}

/** Why a directory is not watched. */
export function describeDirSkip(reason: DirSkipReason): string {
  return escapeControl(dirSkipText(reason));
}

function dirSkipText(reason: DirSkipReason): string {
  switch (reason.by) {
    case 'hidden':
      return `hidden directory ${reason.name} (.git, .idea, .cache ... are never watched)`;
    case 'name':
      return `${reason.name} directories are never watched`;
    case 'output-dir':
      return "gohot's output directory";
    case 'exclude':
      return `excluded by "${reason.pattern}"`;
    case 'outside-roots':
      return 'outside every watched root';
  }
}

/** What one trigger asks for, for a line that has no files to name. */
export function describeTriggerKind(trigger: Trigger, cwd: string): string {
  switch (trigger.kind) {
    case 'change':
    case 'restart':
      return `${describeFiles(trigger.files, cwd)} changed`;
    case 'manual':
      switch (trigger.scope) {
        case 'all':
          return 'all tests requested';
        case 'failed':
          return 'failed tests requested';
        case 'last':
          return 'rerun requested';
        default:
          return 'rebuild requested';
      }
    case 'start':
      return 'initial build';
    case 'config':
      return trigger.cause === 'roots-changed' ? 'watch roots changed' : 'config changed';
  }
}

/**
 * Human text for what started a batch: "a.go changed", followed by the reasons of its
 * file-less triggers ("a.go changed, config changed"), so a batch that folded a config edit
 * into a save names both.
 */
export function describeTrigger(batch: Batch, cwd: string): string {
  const fileLess = batch.triggers.filter((t) => t.kind !== 'change' && t.kind !== 'restart');
  const parts = [...new Set(fileLess.map((t) => describeTriggerKind(t, cwd)))];
  if (batch.files.length > 0) parts.unshift(`${describeFiles(batch.files, cwd)} changed`);
  else if (parts.length === 0) {
    return [...new Set(batch.triggers.map((t) => describeTriggerKind(t, cwd)))].join(', ');
  }
  return parts.join(', ');
}

/** How a failed rule's command ended, e.g. `exit code 1`, `timed out after 2 s`. */
export function describeRuleEnd(end: Exclude<RunEnd, { status: 'cancelled' }>): string {
  switch (end.status) {
    case 'exited':
      return `exit code ${end.code}`;
    case 'killed':
      return `killed by ${end.signal}`;
    case 'timed-out':
      return `timed out after ${formatMs(end.timeoutMs)}`;
    case 'not-started':
      return 'could not start';
  }
}

/** Why a cycle or build was cancelled. */
export function describeCancel(reason: CancelReason, cwd: string): string {
  if (reason.by === 'shutdown') return 'gohot is stopping';
  if (reason.by === 'inputs-written') {
    return 'files it reads were written right after it started (the build waits for them)';
  }
  return `superseded: ${describeTriggerKind(reason.trigger, cwd)}`;
}

/** Why the app is (re)started after a build. */
export function describeRestart(reason: RestartReason): string {
  switch (reason.by) {
    case 'not-running':
      return 'no app is running';
    case 'requested':
      return 'a rebuild was requested';
    case 'restart-only-change':
      return 'files it reads at start-up changed';
    case 'run-settings-changed':
      return 'run.args or run.env changed';
    case 'binary-changed':
      return `the binary changed (content ID ${reason.from} -> ${reason.to})`;
    case 'build-id-unreadable': {
      const which = reason.of === 'new' ? 'the new binary' : 'the running binary';
      return `cannot tell whether the binary changed, the build ID of ${which} is unreadable: ${reason.problem.message}`;
    }
  }
}

/** Why a running build was allowed to finish. */
export function describeKeep(reason: KeepReason): string {
  if (reason.by === 'age') return `it has run for ${formatMs(reason.ageMs)}`;
  return `${reason.cancelled} builds in a row were cancelled`;
}

const REMOTE_WHY: Readonly<Record<RemoteWhy, string>> = {
  'other-clients': 'edits made on the server or by other clients produce no inotify events',
  host: 'no inotify events from the host',
  'user-space':
    'served by a user-space process; edits not made through this mount produce no inotify events',
};

/**
 * How a root is watched and why, as on the start-up line: `native: ext4`,
 * `polling every 500ms: 9p mount at /mnt/c (no inotify events from the host)`
 * (`polling: ...` without an interval).
 */
export function describeBackend(status: Omit<RootStatus, 'root'>): string {
  const how =
    status.backend === 'native'
      ? 'native'
      : status.pollIntervalMs === undefined
        ? 'polling'
        : `polling every ${status.pollIntervalMs}ms`;
  return escapeControl(`${how}: ${backendReasonText(status.reason)}`);
}

function backendReasonText(reason: BackendReason): string {
  switch (reason.by) {
    case 'fs':
      return reason.fsType;
    case 'no-mountinfo':
      return reason.platform;
    case 'unknown-fs':
      return 'unknown file system (not in mountinfo)';
    case 'remote-fs': {
      const what = reason.label ? `${reason.label} (${reason.fsType})` : reason.fsType;
      return `${what} mount at ${reason.mountPoint} (${REMOTE_WHY[reason.why]})`;
    }
    case 'forced':
      return `forced by ${reason.forcedBy}`;
    case 'no-canary-event':
      return `no inotify event for a test file within ${reason.timeoutMs}ms`;
  }
}

/** Why gohot stops. */
export function describeStop(reason: StopReason): string {
  if (reason.by === 'signal') return `${reason.signal} received; press Ctrl-C again to force`;
  if (reason.by === 'output-closed') return `${reason.stream} closed (${reason.code})`;
  return 'stop requested';
}

/** The --verbose line of one decision. */
export function describeDecision(d: Decision, cwd: string): string {
  switch (d.action) {
    case 'skip-dir':
      return `${displayPath(d.subject, cwd)}: not watched, ${describeDirSkip(d.reason)}`;
    case 'skip-file':
      return `${displayPath(d.subject, cwd)}: event for a file no watch pattern tracks (${describeFileReason(d.reason, false)})`;
    case 'skip-unchanged':
      return d.reason.via === 'event'
        ? `${displayPath(d.subject, cwd)}: event, but the content is unchanged`
        : `${displayPath(d.subject, cwd)}: stat changed, but the content is unchanged`;
    case 'queue':
      return `queued: ${describeTriggerKind(d.subject, cwd)} (quiet window ${d.reason.quietWindowMs} ms)`;
    case 'start':
      return d.reason === undefined
        ? `cycle #${d.subject} started for ${d.batch.triggers.length} trigger(s)`
        : `cycle #${d.subject} started at once for ${d.batch.triggers.length} trigger(s): nothing else changed${d.reason.quietWindowMs > 0 ? ` (a change within ${d.reason.quietWindowMs} ms cancels it)` : ''}`;
    case 'cancel':
      return d.stage === 'build'
        ? `build #${d.subject} cancelled after ${formatMs(d.durationMs ?? 0)}: ${describeCancel(d.reason, cwd)}`
        : `cycle #${d.subject} cancelled, ${describeCancel(d.reason, cwd)}`;
    case 'keep':
      if (d.stage === 'build') {
        return `${describeTrigger(d.batch, cwd)} -> built ${formatMs(d.durationMs)} -> binary unchanged: kept pid ${d.pid}`;
      }
      return `build #${d.subject} keeps running despite newer changes: ${describeKeep(d.reason)}; they get one build after it`;
    case 'restart':
      return `build #${d.subject}: restarting the app: ${describeRestart(d.reason)}`;
    case 'finish':
      return `cycle #${d.subject} ${d.outcome}`;
    case 'requeue':
      return `cycle #${d.subject}'s ${d.triggers} trigger(s) carried into the next batch`;
    case 'hold':
      return `cycle #${d.subject} held back: files it reads are still being written (at most ${formatMs(d.reason.maxHoldMs)})`;
    case 'retry':
      return `build #${d.subject} failed while ${describeFiles(d.reason.files, cwd)} changed under it (still being written?): building again`;
    case 'skip':
    case 'drop': {
      const files = describeFiles(d.reason.files, cwd);
      return d.action === 'skip'
        ? `${files}: same content as the last build saw; nothing to build`
        : `${files}: same content as the last build saw; left out of build #${d.subject}`;
    }
    default:
      return `${displayPath(d.subject, cwd)}: ${ACTION_WORDS[d.action]}, ${describeChangeReason(d.reason)} (${d.change.kind}, via ${d.change.via})`;
  }
}

const ACTION_WORDS: Readonly<Record<ChangeAction, string>> = {
  rebuild: 'rebuild',
  'relist-then-decide': 'listed again to decide',
  'restart-only': 'restart without a build',
  'reload-only': 'pages reloaded without a build',
  ignore: 'not rebuilt',
  'reload-config': 'config reloaded',
  'refresh-project': 'project resolved and listed again, then rebuilt',
};

/** The words for what a change means: `ACTION_WORDS` then the reason. */
export function describeChangeAction(action: ChangeAction): string {
  return ACTION_WORDS[action];
}

/** Why a change has its action, in words: "only comments changed in example.com/app". */
export function describeChangeReason(reason: ChangeReason): string {
  return escapeControl(changeReasonText(reason));
}

function changeReasonText(reason: ChangeReason): string {
  switch (reason.by) {
    case 'config-file':
      return 'config file';
    case 'module-file':
      return `${reason.file} changed: the module graph can change`;
    case 'pattern':
      return describeFileReason(
        reason.verdict,
        reason.verdict.by === 'glob' || reason.verdict.by === 'exact',
      );
    case 'restart-pattern':
      return `restart-only file (matches "${reason.pattern}" in watch.restartOnly)`;
    case 'reload-pattern':
      return `reload-only file (matches "${reason.pattern}" in proxy.reloadOnly)`;
    case 'test-file':
      return 'test file: not part of the binary';
    case 'test-data':
      return `test data of ${reason.pkg}`;
    case 'outside-closure':
      return `${reason.dir === '' ? '.' : reason.dir} is not imported by ${reason.main}`;
    case 'constraint-excluded':
      return `excluded from ${reason.pkg} by a build constraint or a GOOS/GOARCH file name`;
    case 'constraint-changed':
      return `what excluded this ${reason.pkg} file from the build changed (a build constraint, its imports or package clause): it may be built now`;
    case 'embedded':
      return `embedded by ${reason.pkg}`;
    case 'embed-candidate':
      return `where an embed pattern of ${reason.pkg} looks: it may be embedded now`;
    case 'package-source':
      return sourceEditText(reason.pkg, reason.role, reason.edit);
    case 'comments-only':
      return reason.lines === 'same'
        ? `only comments or white space changed (${reason.pkg})`
        : `only comments or white space changed, line numbers moved; "watch.lineShifts": "ignore" (${reason.pkg})`;
    case 'content-unchanged':
      return 'same content as the last build saw';
    case 'new-package-file':
      return `new file in ${reason.pkg}`;
    case 'not-in-build':
      return `in ${reason.pkg}'s directory, but not part of its build`;
    case 'unlisted':
      return `not in go list's answer${reason.pkg ? ` for ${reason.pkg}` : ''}; the compiler will tell`;
  }
}

function sourceEditText(pkg: string, role: string, edit: string): string {
  const what = role === 'other-source' ? 'source file' : role === 'cgo' ? 'cgo file' : 'file';
  switch (edit) {
    case 'code':
      return `code changed in ${pkg}`;
    case 'lines-shifted':
      return `only comments changed in ${pkg}, but line numbers moved (they show in panics and logs; "watch.lineShifts": "ignore" skips these)`;
    case 'unknown':
      return `${what} of ${pkg}, no earlier content to compare with`;
    case 'created':
      return `new ${what} of ${pkg}`;
    case 'deleted':
      return `${what} of ${pkg} removed`;
    default:
      return `cgo file of ${pkg}: its comments are C code, every byte counts`;
  }
}

/** How loud an observation is: shown always (warn) or only with --verbose (debug). */
export type Loudness = 'warn' | 'debug';

/** The words and loudness of a watcher observation that is not a decision. */
export function describeObservation(
  o: WatchObservation,
  cwd?: string,
): { readonly level: Loudness; readonly text: string } {
  const p = (abs: string) => displayPath(abs, cwd);
  switch (o.type) {
    case 'dir-skipped':
      return { level: 'debug', text: `${p(o.path)}: not watched, ${describeDirSkip(o.reason)}` };
    case 'file-untracked':
      return {
        level: 'debug',
        text: `${p(o.path)}: ${describeFileReason(o.verdict.reason, o.verdict.tracked)}`,
      };
    case 'content-unchanged':
      return { level: 'debug', text: `${p(o.path)}: the content is unchanged` };
    case 'dir-alias':
      return {
        level: 'debug',
        text: `not following ${p(o.path)}: same directory as ${p(o.sameAs)}`,
      };
    case 'dir-unreadable':
      if (o.code === 'ENAMETOOLONG') {
        return {
          level: 'warn',
          text: `skipping ${p(o.path)}: its path is longer than the system allows (PATH_MAX, ENAMETOOLONG)`,
        };
      }
      return { level: 'warn', text: `skipping unreadable directory ${p(o.path)} (${o.code})` };
    case 'watch-fallback': {
      const what = o.limit
        ? `${o.limit.message}${o.limit.hint ? ` ${o.limit.hint}` : ''}`
        : o.error;
      return {
        level: o.repeated ? 'debug' : 'warn',
        text: `${what} Polling ${p(o.dir)} and below instead.`,
      };
    }
    case 'watch-error':
      return {
        level: 'debug',
        text: `watch of ${p(o.dir)} failed (${o.error}): re-reading ${p(o.rescan)}`,
      };
    case 'cookie-timeout':
      return { level: 'debug', text: `no cookie event in ${p(o.root)}: sweeping it` };
    case 'no-canary':
      return { level: 'debug', text: `cannot write a test file in ${p(o.root)}: no canary` };
    case 'root-not-owned':
      return {
        level: 'debug',
        text: `${p(o.root)} belongs to another user: no cookie or test file is written there, every sync sweeps it instead`,
      };
    case 'stale-cookies-removed':
      return {
        level: 'debug',
        text: `removed ${o.count} cookie file(s) a killed gohot left in ${p(o.root)}`,
      };
    case 'link-outside-roots': {
      const what = o.kind === 'directory' ? 'not following it' : 'not tracking it';
      const which = o.kind === 'directory' ? p(o.target) : 'the module that holds it';
      return {
        level: 'warn',
        text: `${p(o.path)} resolves to ${p(o.target)}, outside every watched root: ${what}. To watch it on purpose, make ${which} a watch root: list it in go.work with a \`use\` directive, or point a \`replace\` directive in go.mod at it.`,
      };
    }
    case 'root-gone':
      return { level: 'debug', text: `watch root ${p(o.root)} is gone: waiting for it to return` };
    case 'root-back':
      return { level: 'debug', text: `watch root ${p(o.root)} is back: watching it again` };
    case 'event-burst':
      return { level: 'debug', text: `event burst in ${p(o.root)}: reconciling` };
    case 'misses-found': {
      const sample = o.changes.slice(0, 5).map((c) => `${c.kind} ${p(c.path)}`);
      const more = o.changes.length > 5 ? ` and ${o.changes.length - 5} more` : '';
      return {
        level: 'warn',
        text: `reconciliation found ${o.changes.length} change(s) no inotify event announced: ${sample.join(', ')}${more}`,
      };
    }
    case 'switched-to-polling':
      return {
        level: 'warn',
        text: `native events missed ${o.misses} changes in ${p(o.root)}: polling it every ${o.intervalMs}ms from now on`,
      };
    case 'internal-error': {
      const where = {
        queue: `watch queue of ${p(o.subject)}`,
        check: `could not check ${p(o.subject)}`,
        sweep: 'poll sweep failed',
        deliver: 'delivering changes failed',
      }[o.during];
      return { level: 'warn', text: `${where}: ${o.error}` };
    }
  }
}

/** Why go list's answer was not used, and what gohot decides by instead. */
export function describeModelKept(
  reason: {
    readonly by: 'main-not-found' | 'main-error' | 'list-failed';
    readonly error: string | undefined;
  },
  kept: boolean,
): string {
  const what =
    reason.by === 'main-not-found'
      ? 'go list did not find the main package'
      : reason.by === 'main-error'
        ? 'go list could not load the main package'
        : 'go list failed';
  const detail = reason.error ? `: ${reason.error.trim()}` : '';
  const instead = kept
    ? 'keeping the last good package graph'
    : 'deciding by the watch patterns alone until it works';
  return escapeControl(`${what}${detail}; ${instead}`);
}

/** `host:port`, with an IPv6 host in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
