import path from 'node:path';
import { classifyChanges } from '../classify/classify.js';
import { createConfigReloader } from '../config/config-watch.js';
import { loadConfig } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { createRootsMatcher, type RootsMatcher } from '../config/roots-matcher.js';
import type { ConfigOverrides, ResolvedConfig } from '../config/types.js';
import { GohotError } from '../errors.js';
import { resolveGoProject, supportsBuildJson } from '../go/go-env.js';
import { resolveMainPackage, toRelPath } from '../go/main-package.js';
import type { ResolvedGoProject } from '../go/types.js';
import type { Reporter } from '../report/events.js';
import { describeFiles } from '../report/terminal.js';
import { openRunDir } from '../run/run-dir.js';
import { createSupervisor, killGroupNow } from '../run/supervisor.js';
import { createScheduler, type Scheduler, type SchedulerDecision } from '../schedule/scheduler.js';
import type { FileChange, Watcher } from '../watch/types.js';
import { openWatcher } from './open-watcher.js';
import { createReloadCycle } from './reload-cycle.js';

/** Options of startSession. */
export interface SessionOptions {
  /** Directory gohot was started in. */
  readonly cwd: string;
  readonly overrides: ConfigOverrides;
  readonly reporter: Reporter;
  /** Aborting it during start-up (Ctrl-C) cleans up and rejects with STARTUP_ABORTED. */
  readonly signal?: AbortSignal;
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
  const { reporter, cwd, signal } = options;
  const debug = (stage: 'classify' | 'schedule', message: string) =>
    reporter.report({ type: 'debug', stage, message });
  const checkAborted = () => {
    if (signal?.aborted) {
      throw new GohotError('STARTUP_ABORTED', 'gohot was stopped while it was starting.');
    }
  };

  // A go command cancelled by the abort fails start-up as STARTUP_ABORTED, like the rest.
  const failStartup = (err: unknown): never => {
    checkAborted();
    throw err;
  };
  const project = await resolveGoProject(cwd, { signal }).catch(failStartup);
  const loaded = await loadConfig(project.moduleRoot);
  let config: ResolvedConfig = resolveConfig(loaded.file, loaded.path, options.overrides);
  // A package on the command line (or none: ".") is relative to where gohot runs; "main" in
  // gohot.json is relative to the module root, where the file lives.
  const resolveMain = (c: ResolvedConfig, abort?: AbortSignal) =>
    resolveMainPackage(project, c.main, {
      cwd: options.overrides.main === undefined && c.main !== undefined ? project.moduleRoot : cwd,
      tags: c.build.tags,
      signal: abort,
    });
  let main = await resolveMain(config, signal).catch(failStartup);
  const configFiles = new Set(CONFIG_FILE_NAMES.map((n) => path.join(project.moduleRoot, n)));
  const reloader = createConfigReloader(project.moduleRoot, options.overrides, config);
  checkAborted();

  const { dir: runDir, reaped } = openRunDir();
  for (const o of reaped) {
    reporter.report({
      type: 'warning',
      message: `stopped app pid ${o.appPid}, left running by gohot pid ${o.gohotPid} that was killed without cleaning up`,
    });
  }
  const outDir = runDir.path;
  const removeOutDir = () => runDir.remove();
  const supervisor = createSupervisor({
    stopSignal: config.run.stopSignal,
    stopTimeoutMs: config.run.stopTimeoutMs,
    onUnexpectedExit: (exit, pid) => reporter.report({ type: 'app-exited', exit, pid }),
  });

  let stopped = false;
  let scheduler: Scheduler | undefined;
  let watcher: Watcher | undefined;
  let roots = project.watchRoots;
  let matcher: RootsMatcher = createRootsMatcher(roots, config.watch.patterns);

  const onChanges = (changes: readonly FileChange[]) => {
    if (stopped) return;
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

  const watcherFor = (nextRoots: readonly string[], nextConfig: ResolvedConfig) => {
    const nextMatcher = createRootsMatcher(nextRoots, nextConfig.watch.patterns);
    return {
      matcher: nextMatcher,
      open: (abort?: AbortSignal) =>
        openWatcher({
          roots: nextRoots,
          matcher: nextMatcher,
          config: nextConfig,
          outDir,
          configFiles,
          backendForcedBy: options.overrides.backendSource ?? 'watch.poll in the config',
          reporter,
          onChanges,
          signal: abort,
        }),
    };
  };

  // Swaps in a watcher over `nextRoots` with `nextConfig`'s patterns. The session's roots and
  // matcher change only once the new watcher is up: a failure keeps the old one, and the
  // same edit saved again retries.
  const reopenWatcher = async (nextRoots: readonly string[], nextConfig: ResolvedConfig) => {
    const next = watcherFor(nextRoots, nextConfig);
    const opened = await next.open();
    if (stopped) {
      await opened.close();
      return;
    }
    const old = watcher;
    roots = nextRoots;
    matcher = next.matcher;
    watcher = opened;
    await old?.close();
  };

  // Config and go.mod reactions run one at a time, in order, and never after stop().
  let chain = Promise.resolve();
  const serially = (task: () => Promise<void>) => {
    if (stopped) return;
    chain = chain
      .then(() => (stopped ? undefined : task()))
      .catch((err: unknown) => reporter.report({ type: 'warning', message: errorText(err) }));
  };

  // go.mod / go.work edits can add or drop `replace ../lib` and `use` directories.
  const refreshRoots = () =>
    serially(async () => {
      const next = await resolveGoProject(cwd);
      if (next.watchRoots.join('\n') === roots.join('\n')) return;
      await reopenWatcher(next.watchRoots, config);
      reporter.report({
        type: 'info',
        message: `watch roots changed: ${roots.map((r) => path.relative(cwd, r) || '.').join(', ')}`,
      });
      // Edits in a new root made before its first walk are only seen by building again.
      scheduler?.push({ kind: 'config', reason: 'watch roots changed', files: [] });
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
      const changed = (test: (key: string) => boolean) => outcome.changed.some(test);
      if (changed((k) => k === 'main')) {
        // A bad "main" must not hold back the rest of the edit: keep the running package.
        try {
          main = await resolveMain(config);
        } catch (err) {
          reporter.report({
            type: 'warning',
            message: `${errorText(err)} Still building ${main.relPath}.`,
          });
        }
      }
      const watchChanged = changed((k) => k.startsWith('watch.') && k !== 'watch.quietWindowMs');
      if (watchChanged) await reopenWatcher(roots, config);
      // A new watcher's first walk is a baseline, not changes: files that newly match and
      // were edited before it ran are only picked up by building once more.
      if (
        watchChanged ||
        changed((k) => k === 'main' || k.startsWith('build.') || k.startsWith('run.'))
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
    onStarted: (pid) => runDir.recordApp(pid),
  });

  try {
    watcher = await watcherFor(roots, config).open(signal);
  } catch (err) {
    removeOutDir();
    checkAborted();
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
        stopped = true;
        reporter.report({ type: 'stopping', reason });
        await scheduler?.close();
        // A reaction queued before `stopped` was set may still be running: let it finish.
        for (let settled = chain; ; settled = chain) {
          await settled;
          if (settled === chain) break;
        }
        await watcher?.close();
        await supervisor.stop();
        removeOutDir();
      })();
      return stopping;
    },
    forceStop() {
      stopped = true;
      const state = supervisor.state();
      if (state.status === 'running' || state.status === 'stopping') killGroupNow(state.app.pid);
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
