import { formatMs } from '../duration.js';
import { GohotError } from '../errors.js';
import type { InspectDocument, InspectRoot } from '../inspect/inspect-report.js';
import { describeTrigger, displayPath, escapeControl } from './describe.js';
import type { ErrorInfo } from './events.js';
import { formatGraph, type GraphFormat } from './inspect-graph.js';
import type { RecentReload } from './recent-reloads.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `gohot inspect` for humans: the watch topology, the model and the last reloads. */
export function inspectText(doc: InspectDocument, cwd: string): string {
  const lines: string[] = [];
  const add = (label: string, text: string) =>
    lines.push(text === '' ? label : `${label.padEnd(15)}${text}`);
  const sub = (text: string) => lines.push(`  ${text}`);
  const at = (p: string) => displayPath(p, cwd);

  lines.push(
    doc.source.kind === 'live'
      ? `live state of the running gohot (pid ${doc.source.pid})`
      : 'no gohot is running for this project: what `gohot run` would start with',
  );
  add('module', `${at(doc.moduleRoot)} (${escapeControl(doc.goVersion)})`);
  if (doc.workFile !== null) add('workspace', at(doc.workFile));
  add('main package', `${escapeControl(doc.main.relPath)} (${escapeControl(doc.main.importPath)})`);
  add('config', doc.configSource === null ? 'defaults (no gohot.json)' : at(doc.configSource));
  add('patterns', doc.patterns.map((p) => escapeControl(p)).join('  '));
  if (doc.restartOnly.length > 0) {
    add('restart only', doc.restartOnly.map((p) => escapeControl(p)).join('  '));
  }
  add('roots', '');
  for (const root of doc.roots) sub(rootLine(root, at));
  const watched = `${plural(doc.walkedDirs, 'directory', 'directories')} (${doc.watchedDirs} with an inotify watch${doc.polledTrees > 0 ? `, ${plural(doc.polledTrees, 'tree')} polled` : ''})`;
  add(
    'watching',
    `${watched}, ${plural(doc.trackedFiles, 'tracked file')} (${doc.hotFiles} hashed, ${doc.coldFiles} by existence)`,
  );
  add('inotify', inotifyText(doc));

  if (doc.graph === null) {
    add('packages', `unknown: ${escapeControl(doc.modelProblem ?? 'go list gave no graph')}`);
  } else {
    const { nodes, edges } = doc.graph;
    add(
      'packages',
      `${plural(nodes.length, 'editable package')}, ${plural(edges.length, 'import')} among them`,
    );
    const names = nodes.map((n) => {
      const role = n.main ? ' (main)' : n.origin === 'local-replace' ? ' (local replace)' : '';
      return `${escapeControl(n.importPath)}${role}`;
    });
    const width = Math.max(0, ...names.map((n) => n.length)) + 2;
    nodes.forEach((n, i) => {
      sub(`${names[i]!.padEnd(width)}${at(n.dir)}`);
    });
    if (edges.length > 0) add('imports', '');
    for (const e of edges) sub(`${escapeControl(e.from)} -> ${escapeControl(e.to)}`);
  }
  add('embed files', doc.embedFiles.length === 0 ? 'none' : '');
  for (const f of doc.embedFiles) sub(at(f));

  if (doc.source.kind === 'live') {
    add('last reloads', doc.reloads.length === 0 ? 'none yet' : '');
    for (const r of doc.reloads) sub(reloadLine(r, cwd));
  }
  return lines.join('\n');
}

function rootLine(root: InspectRoot, at: (p: string) => string): string {
  return `${at(root.root)}  ${root.text}`;
}

function inotifyText(doc: InspectDocument): string {
  const i = doc.inotify;
  const limits = [
    i.limits.maxUserWatches === null ? undefined : `${i.limits.maxUserWatches} watches`,
    i.limits.maxUserInstances === null ? undefined : `${i.limits.maxUserInstances} instances`,
  ].filter((l) => l !== undefined);
  const perUser = limits.length === 0 ? '' : `; per-user limits ${limits.join(', ')}`;
  const files = i.openFilesLimit === null ? '' : `; open files limit ${i.openFilesLimit}`;
  if (i.kind === 'measured') {
    return `${plural(i.watches, 'watch', 'watches')} in ${plural(i.instances, 'instance')}, ${plural(i.descriptors, 'descriptor')} open${perUser}${files}`;
  }
  return `would add ${plural(i.watches, 'watch', 'watches')} (one per directory of a native root)${perUser}${files}`;
}

/** One kept reload: its time, trigger, outcome and timings. */
export function reloadLine(r: RecentReload, cwd: string): string {
  const time = new Date(r.at).toLocaleTimeString('en-GB', { hour12: false });
  const trigger = describeTrigger(r.batch, cwd);
  switch (r.outcome) {
    case 'reloaded':
      return `${time}  ${trigger} -> built ${formatMs(r.buildMs)} -> ${r.first ? 'started' : 'restarted'} pid ${r.pid} (${formatMs(r.restartMs)})`;
    case 'restarted':
      return `${time}  ${trigger} -> restarted pid ${r.pid} without a build (${formatMs(r.restartMs)})`;
    case 'kept':
      return `${time}  ${trigger} -> built ${formatMs(r.buildMs)} -> same program, pid ${r.pid} kept`;
    case 'build-failed': {
      const kept = r.keptPid === null ? '' : `, pid ${r.keptPid} keeps running`;
      return `${time}  ${trigger} -> build failed after ${formatMs(r.buildMs)} (${plural(r.diagnostics, 'error')}${kept})`;
    }
  }
}

/** What `gohot inspect` prints for `format`: the text, the JSON document or the graph. */
export function inspectOutput(
  doc: InspectDocument,
  format: 'text' | 'json' | GraphFormat,
  cwd: string,
): string {
  if (format === 'json') return JSON.stringify(doc, null, 2);
  if (format === 'text') return inspectText(doc, cwd);
  if (doc.graph === null) {
    throw new GohotError(
      'GO_LIST_FAILED',
      `gohot has no package graph of this project to draw: ${escapeControl(doc.modelProblem ?? 'go list gave none')}.`,
      'Fix the error go list reports (`go list -deps .` shows it), then run `gohot inspect` again.',
    );
  }
  return formatGraph(doc.graph, format);
}

/** The warning when a running gohot cannot open its control socket (it runs on without). */
export function inspectUnavailableText(error: ErrorInfo): string {
  const hint = error.hint === undefined ? '' : `\n  ${escapeControl(error.hint)}`;
  return `\`gohot inspect\` will not see this gohot live: ${escapeControl(error.message)}${hint}`;
}

/** Why a running session's report has no package graph: go list has not given a usable one. */
export function liveModelMissingText(): string {
  return 'go list has not listed the main package yet (or could not: see the output of gohot)';
}
