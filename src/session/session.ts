import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifyChanges } from '../classify/classify.js';
import { createWatchFilter } from '../classify/watch-filter.js';
import { createConfigReloader } from '../config/config-watch.js';
import { loadConfig } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { createRootsMatcher, type RootsMatcher } from '../config/roots-matcher.js';
import type { ConfigOverrides, ResolvedConfig } from '../config/types.js';
import { resolveGoProject, supportsBuildJson } from '../go/go-env.js';
import { resolveMainPackage, toRelPath } from '../go/main-package.js';
import type { ResolvedGoProject } from '../go/types.js';
import type { Reporter } from '../report/events.js';
import { describeFiles } from '../report/terminal.js';
import { reapOrphans, recordApp } from '../run/orphans.js';
import { createSupervisor, killGroupNow } from '../run/supervisor.js';
import { createScheduler, type Scheduler, type SchedulerDecision } from '../schedule/scheduler.js';
import type { FileChange, Watcher } from '../watch/types.js';
import { createWatcher } from '../watch/watcher.js';
import { createReloadCycle } from './reload-cycle.js';

/** Options of startSession. */
export interface SessionOptions {
  /** Directory gohot was started in. */
  readonly cwd: string;
  readonly overrides: ConfigOverrides;
  readonly reporter: Reporter;
}

/** A running watch -> build -> restart loop. */
export interface Session {
  readonly project: ResolvedGoProject;
  /** Queue a rebuild, as if a file had changed. */
  rebuild(reason: string): void;
  /** Graceful stop: cancel the build, stop the app, release watches, remove temp files. */
  stop(reason: string): Promise<void>;
  /** Forced stop (second Ctrl-C): SIGKILL the app's group and remove temp files, synchronously. */
  forceStop(): void;
}

const CONFIG_FILE_NAMES = ['gohot.json', 'codebuddy.json'] as const;
/** Files whose edits can change the watch roots. */
const MODULE_FILES: ReadonlySet<string> = new Set(['go.mod', 'go.work']);

/** Resolves the project and config, then starts watching, building and running. */
export async function startSession(options: SessionOptions): Promise<Session> {
  const { reporter, cwd } = options;
  const debug = (stage: 'watch' | 'classify' | 'schedule' | 'run', message: string) =>
    reporter.report({ type: 'debug', stage, message });

  const project = await resolveGoProject(cwd);
  const loaded = await loadConfig(project.moduleRoot);
  let config: ResolvedConfig = resolveConfig(loaded.file, loaded.path, options.overrides);
  // A package on the command line (or none: ".") is relative to where gohot runs; "main" in
  // gohot.json is relative to the module root, where the file lives.
  const resolveMain = (c: ResolvedConfig) =>
    resolveMainPackage(project, c.main, {
      cwd: options.overrides.main === undefined && c.main !== undefined ? project.moduleRoot : cwd,
      tags: c.build.tags,
    });
  let main = await resolveMain(config);
  const configFiles = new Set(CONFIG_FILE_NAMES.map((n) => path.join(project.moduleRoot, n)));
  const reloader = createConfigReloader(project.moduleRoot, options.overrides, config);

  for (const o of reapOrphans(os.tmpdir())) {
    reporter.report({
      type: 'warning',
      message: `stopped app pid ${o.appPid}, left running by gohot pid ${o.gohotPid} that was killed without cleaning up`,
    });
  }
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'gohot-'));
  const supervisor = createSupervisor({
    stopSignal: config.run.stopSignal,
    stopTimeoutMs: config.run.stopTimeoutMs,
    onUnexpectedExit: (exit, pid) => reporter.report({ type: 'app-exited', exit, pid }),
  });

  let scheduler: Scheduler | undefined;
  let watcher: Watcher | undefined;
  let roots = project.watchRoots;
  let matcher: RootsMatcher = createRootsMatcher(roots, config.watch.patterns);

  const onChanges = (changes: readonly FileChange[]) => {
    const decisions = classifyChanges(changes, { configFiles, match: (p) => matcher.match(p) });
    const rebuild: string[] = [];
    for (const d of decisions) {
      debug(
        'classify',
        `${path.relative(cwd, d.change.path)}: ${d.action} (${d.reason}, via ${d.change.via})`,
      );
      if (d.action === 'rebuild') rebuild.push(d.change.path);
      if (d.action === 'reload-config') reloadConfig();
      if (d.action === 'rebuild' && MODULE_FILES.has(path.basename(d.change.path))) refreshRoots();
    }
    if (rebuild.length > 0) {
      scheduler?.push({
        kind: 'change',
        reason: `${describeFiles(rebuild, cwd)} changed`,
        files: rebuild,
      });
    }
  };

  const openWatcher = async (): Promise<Watcher> => {
    const w = createWatcher({
      roots,
      filter: createWatchFilter({
        roots,
        skipDirs: [outDir],
        alwaysTrack: configFiles,
        isIncluded: (p) => matcher.isIncluded(p),
        isDirExcluded: (d) => matcher.isDirExcluded(d),
      }),
      backend: config.watch.backend,
      backendForcedBy: options.overrides.backendSource ?? 'watch.poll in the config',
      pollIntervalMs: config.watch.pollIntervalMs,
      onChanges,
      onLog: (log) => {
        if (log.level === 'debug') debug('watch', log.message);
        else if (log.level === 'info') reporter.report({ type: 'info', message: log.message });
        else reporter.report({ type: 'warning', message: log.message });
      },
    });
    try {
      await w.ready();
    } catch (err) {
      await w.close();
      throw err;
    }
    return w;
  };

  const reopenWatcher = async () => {
    matcher = createRootsMatcher(roots, config.watch.patterns);
    const old = watcher;
    watcher = await openWatcher();
    await old?.close();
  };

  // Serialised: two quick saves of gohot.json (or go.mod) are applied in order.
  let chain = Promise.resolve();
  const serially = (task: () => Promise<void>) => {
    chain = chain
      .then(task)
      .catch((err: unknown) => reporter.report({ type: 'warning', message: errorText(err) }));
  };

  // go.mod / go.work edits can add or drop `replace ../lib` and `use` directories.
  const refreshRoots = () =>
    serially(async () => {
      const next = await resolveGoProject(cwd);
      if (next.watchRoots.join('\n') === roots.join('\n')) return;
      roots = next.watchRoots;
      reporter.report({
        type: 'info',
        message: `watch roots changed: ${roots.map((r) => path.relative(cwd, r) || '.').join(', ')}`,
      });
      await reopenWatcher();
    });

  const reloadConfig = () =>
    serially(async () => {
      const outcome = await reloader.reload();
      if (!outcome.ok) {
        reporter.report({
          type: 'warning',
          message: `${outcome.error.message} The last good config stays in effect.`,
          hint: outcome.error.hint,
        });
        return;
      }
      config = outcome.config;
      supervisor.setStopPolicy(config.run.stopSignal, config.run.stopTimeoutMs);
      reporter.report({ type: 'config-reloaded', changed: outcome.changed });
      if (outcome.changed.length === 0) return;
      if (outcome.changed.some((k) => k === 'main')) {
        try {
          main = await resolveMain(config);
        } catch (err) {
          reporter.report({ type: 'warning', message: (err as Error).message });
          return;
        }
      }
      if (outcome.changed.some((k) => k.startsWith('watch.') && k !== 'watch.quietWindowMs')) {
        await reopenWatcher();
      }
      if (
        outcome.changed.some((k) => k === 'main' || k.startsWith('build.') || k.startsWith('run.'))
      ) {
        scheduler?.push({ kind: 'config', reason: 'config changed', files: [] });
      }
    });

  const runCycle = createReloadCycle({
    goBin: project.goBin,
    moduleRoot: project.moduleRoot,
    cwd,
    outDir,
    useJson: supportsBuildJson(project.version),
    config: () => config,
    // go build runs in the module root: name the package relative to it.
    mainPackage: () => toRelPath(project.moduleRoot, main.dir),
    supervisor,
    reporter,
    syncWatcher: () => watcher?.sync() ?? Promise.resolve(),
    onStarted: (pid) => recordApp(outDir, pid),
  });

  const removeOutDir = () => rmSync(outDir, { recursive: true, force: true });
  try {
    watcher = await openWatcher();
  } catch (err) {
    removeOutDir();
    throw err;
  }
  scheduler = createScheduler({
    quietWindowMs: () => config.watch.quietWindowMs,
    runCycle,
    onDecision: (d) => {
      if (d.type === 'failed') {
        reporter.report({
          type: 'warning',
          message: `reload #${d.generation} failed: ${errorText(d.error)}`,
        });
      } else debug('schedule', describeDecision(d));
    },
  });
  const rootStatuses = await watcher.ready();
  const pollRoots = rootStatuses.filter((r) => r.backend === 'poll').length;
  reporter.report({
    type: 'started',
    goVersion: project.version.raw,
    moduleRoot: project.moduleRoot,
    mainPackage: main.relPath,
    configSource: config.source,
    roots: rootStatuses,
    trackedFiles: watcher.stats().trackedFiles,
    polledSubtrees: watcher.stats().polledTrees - pollRoots,
  });
  scheduler.push({ kind: 'start', reason: 'initial build', files: [] });

  let stopping: Promise<void> | undefined;
  return {
    project,
    rebuild(reason) {
      scheduler?.push({ kind: 'manual', reason, files: [] });
    },
    stop(reason) {
      stopping ??= (async () => {
        reporter.report({ type: 'stopping', reason });
        await scheduler?.close();
        await chain;
        await watcher?.close();
        await supervisor.stop();
        removeOutDir();
      })();
      return stopping;
    },
    forceStop() {
      const state = supervisor.state();
      if (state.status === 'running' || state.status === 'stopping') killGroupNow(state.pid);
      removeOutDir();
    },
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error)
    return 'hint' in err && err.hint ? `${err.message} ${err.hint}` : err.message;
  return String(err);
}

function describeDecision(d: SchedulerDecision): string {
  switch (d.type) {
    case 'queued':
      return `queued: ${d.trigger.reason} (quiet window ${d.quietWindowMs} ms)`;
    case 'superseded':
      return `cycle #${d.generation} cancelled, ${d.reason}`;
    case 'started':
      return `cycle #${d.batch.generation} started for ${d.batch.triggers.length} trigger(s)`;
    case 'finished':
      return `cycle #${d.generation} ${d.outcome}`;
    case 'requeued':
      return `cycle #${d.generation}'s ${d.triggers} trigger(s) carried into the next batch`;
    case 'failed':
      return `cycle #${d.generation} failed: ${String(d.error)}`;
  }
}
