import { planConfigReload } from '../classify/config-plan.js';
import { classifyContextOf, watchFilterOf } from '../classify/contexts.js';
import { type FilterModel, modelView } from '../classify/model-view.js';
import { createConfigReloader } from '../config/config-watch.js';
import { createRootsMatcher, type RootsMatcher } from '../config/roots-matcher.js';
import type { ConfigOverrides, ResolvedConfig } from '../config/types.js';
import { GohotError } from '../errors.js';
import { BaselineStore } from '../facts/baseline.js';
import { readFacts } from '../facts/read-facts.js';
import { resolveGoProject, supportsBuildJson } from '../go/go-env.js';
import { toRelPath } from '../go/main-package.js';
import { editableDirsOutside, type ProjectModel } from '../go/model.js';
import type { MainPackage, ResolvedGoProject } from '../go/types.js';
import { type BrowserProxy, startProxy } from '../proxy/proxy.js';
import {
  createEmitter,
  errorInfo,
  type Reporter,
  type SessionEventBody,
  type StopReason,
} from '../report/events.js';
import { restartPatternsOf, watchPatternsOf } from '../rules/effective-patterns.js';
import { createRulesStage } from '../rules/rules-stage.js';
import { startGroupExec } from '../run/group-exec-setup.js';
import { openListenersAfter } from '../run/listeners.js';
import { OutputTail } from '../run/output-tail.js';
import { openRunDir } from '../run/run-dir.js';
import { createSupervisor, killGroupNow } from '../run/supervisor.js';
import type { HeldSockets } from '../run/types.js';
import { createScheduler, type Trigger } from '../schedule/scheduler.js';
import type { FileChange, RootStatus, Watcher, WatcherStats } from '../watch/types.js';
import { createAppSwap } from './app-swap.js';
import { createDecider, inputsOf } from './decide.js';
import { netEffect } from './intake.js';
import { createModelKeeper } from './model-keeper.js';
import { openWatcher } from './open-watcher.js';
import { createReloadCycle } from './reload-cycle.js';
import {
  listProjectModel,
  resolveMain,
  resolveProjectConfig,
  type StartupInput,
} from './resolve-startup.js';
import { seedTokens } from './seed-tokens.js';
import { watchEvent } from './to-events.js';
import { createSerialReactions, reportSchedulerDecisions, stopWatchLoop } from './wiring.js';

/** Options of startSession. */
export interface SessionOptions {
  /** Directory gohot was started in. */
  readonly cwd: string;
  readonly overrides: ConfigOverrides;
  readonly reporter: Reporter;
  /** Aborting it during start-up (Ctrl-C) cleans up and rejects with STARTUP_ABORTED. */
  readonly signal?: AbortSignal;
  /** Ask go for its own trace of each build (`build-trace` events). @default false */
  readonly traceBuilds?: boolean;
  /** Where the app's stdout goes: gohot's stdout, or its stderr. @default 'inherit' */
  readonly appStdout?: 'inherit' | 'stderr';
}

/** A running watch -> build -> restart loop. */
export interface Session {
  /** The Go project as last resolved (a go.mod / go.work edit resolves it again). */
  readonly project: ResolvedGoProject;
  /** Queue a rebuild, as if a file had changed. */
  rebuild(): void;
  /** Graceful stop: cancel the build, stop the app, release watches, remove temp files. */
  stop(reason: StopReason): Promise<void>;
  /** Forced stop (second Ctrl-C): SIGKILL the app's group and remove temp files, synchronously. */
  forceStop(): void;
  /** What the session watches and knows now, for `gohot inspect`. */
  topology(): SessionTopology;
}

/** The live state of a session: what it works from and how it watches. */
export interface SessionTopology {
  readonly project: ResolvedGoProject;
  readonly config: ResolvedConfig;
  readonly main: MainPackage;
  /** How each root of the current watcher is watched. */
  readonly roots: readonly RootStatus[];
  readonly stats: WatcherStats;
  /** The last good package graph; undefined until go list answered. */
  readonly model: ProjectModel | undefined;
}

/**
 * What the session works from, swapped as a whole: roots and matcher change together with
 * the watcher that uses them, the project together with what was resolved from it.
 */
interface SessionState {
  readonly config: ResolvedConfig;
  readonly project: ResolvedGoProject;
  readonly main: MainPackage;
  /** Watch roots: the project's, plus module directories only the package graph names. */
  readonly roots: readonly string[];
  readonly matcher: RootsMatcher;
  readonly restartMatcher: RootsMatcher;
  /** `proxy.reloadOnly` files: a change reloads the pages, nothing else. */
  readonly reloadMatcher: RootsMatcher;
  /** The Go model as classification sees it; undefined until go list answered. */
  readonly view: FilterModel | undefined;
}

/** Resolves the project and config, then starts watching, building and running. */
export async function startSession(options: SessionOptions): Promise<Session> {
  const { cwd, signal } = options;
  // The browser proxy, when asked for, follows the app through the same events.
  let proxy: BrowserProxy | undefined;
  const emit = createEmitter({
    report(event) {
      options.reporter.report(event);
      proxy?.report(event);
    },
  });
  const input: StartupInput = { cwd, overrides: options.overrides };
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
  const startup = await resolveProjectConfig(input, signal).catch(failStartup);
  // The main package's go list runs while the watcher walks the tree (awaited with it). Either
  // failing, a stop, or a start-up failure in between stops both.
  const opening = new AbortController();
  const openingSignal =
    signal === undefined ? opening.signal : AbortSignal.any([signal, opening.signal]);
  const mainResolving = resolveMain(input, startup.project, startup.config, openingSignal);
  mainResolving.catch(() => undefined);
  const { configFiles } = startup;
  const reloader = createConfigReloader(
    startup.project.moduleRoot,
    options.overrides,
    startup.config,
  );
  checkAborted();
  // run.listen's sockets, opened once the orphans are reaped (below).
  let listeners: HeldSockets | undefined;
  // A start-up failure from here on closes the proxy and the held sockets: they would keep
  // gohot from exiting after the error.
  const closeFrontends = async () => {
    opening.abort();
    listeners?.close();
    await proxy?.close();
  };
  // With the proxy, the app's last output lines show in the page when it crashes.
  const appTail = startup.config.proxy === undefined ? undefined : new OutputTail();
  if (startup.config.proxy !== undefined) {
    proxy = await startProxy(startup.config.proxy, startup.project.moduleRoot, appTail).catch(
      async (err: unknown) => {
        await closeFrontends();
        throw err;
      },
    );
    emit({ type: 'proxy-listening', url: proxy.url, target: startup.config.proxy.target });
  }

  let opened: ReturnType<typeof openRunDir>;
  try {
    opened = openRunDir(startup.project.moduleRoot);
  } catch (err) {
    await closeFrontends();
    throw err;
  }
  const { dir: runDir, reaped } = opened;
  for (const o of reaped) emit({ type: 'orphan-reaped', ...o });
  const outDir = runDir.path;
  const removeOutDir = () => runDir.remove();
  // run.listen: sockets gohot holds for the app from now on (socket activation). After the
  // reaping: an orphaned app still holds the sockets of the gohot that was killed.
  try {
    listeners = await openListenersAfter(
      startup.config.run.listen,
      reaped.map((o) => o.appPid),
    );
  } catch (err) {
    removeOutDir();
    await closeFrontends();
    throw err;
  }
  if (listeners !== undefined) {
    const { names } = listeners;
    emit({
      type: 'sockets-held',
      sockets: listeners.addresses.map((a, i) => ({ name: names[i] ?? '', ...a })),
    });
  }
  const supervisor = createSupervisor({
    tail: appTail,
    stopSignal: startup.config.run.stopSignal,
    stopTimeoutMs: startup.config.run.stopTimeoutMs,
    onUnexpectedExit: (exit, pid) => emit({ type: 'app-exited', exit, pid }),
    stdio: options.appStdout ?? 'inherit',
    listeners,
  });

  // Recorded at the spawn, so that a later gohot can stop it if this one is SIGKILLed.
  const apps = createAppSwap({ supervisor, emit, onSpawned: (pid) => runDir.recordApp(pid) });

  const roots = startup.project.watchRoots;
  // Set once the first watcher is up and the main package is known (below); nothing reads it
  // before: the functions made in between read it when they are called.
  let state: SessionState;
  const baseline = new BaselineStore();
  const facts = { read: readFacts, baseline };
  let watcher: Watcher | undefined;
  let rootStatuses: readonly RootStatus[] = [];
  let stopped = false;
  // Aborted by stop(): a go env / go list of a reaction never holds the shutdown up.
  const lifetime = new AbortController();
  // Process groups in gohot's own session once the setpgid helper is there.
  startGroupExec(opened.stateDir, startup.project.goBin, lifetime.signal);

  const rules = createRulesStage(
    () => state.config,
    () => state.project.moduleRoot,
    configFiles,
  );
  const runCycle = createReloadCycle({
    goBin: startup.project.goBin,
    moduleRoot: () => state.project.moduleRoot,
    cwd,
    runDir,
    useJson: supportsBuildJson(startup.project.version),
    config: () => state.config,
    // go build runs in the module root: name the package relative to it.
    mainPackage: () => toRelPath(state.project.moduleRoot, state.main.dir),
    supervisor,
    apps,
    emit,
    syncWatcher: () => watcher?.sync() ?? Promise.resolve(),
    traceBuilds: options.traceBuilds ?? false,
    packageCount: () => models.current()?.packages.size,
    netEffect: (batch) => netEffect(batch, state.config.watch.lineShifts, facts),
    rules,
  });
  const scheduler = createScheduler({
    quietWindowMs: () => state.config.watch.quietWindowMs,
    leadingEdge: () => state.config.watch.leadingEdge,
    runCycle,
    onDecision: reportSchedulerDecisions(emit),
  });
  const push = (trigger: Trigger) => {
    if (!stopped) scheduler.push(trigger);
  };

  // Config and go.mod reactions run one at a time, in order, and never after stop().
  const reactions = createSerialReactions(emit, () => stopped);
  const serially = reactions.run;

  // Read at every call: a new model reaches the watcher's filter through refilter().
  // The first watcher walks before the state is set: no model then.
  const currentView = () => (state as SessionState | undefined)?.view;
  const classifyContext = (afterRelist: boolean) =>
    classifyContextOf(inputsOf(state, configFiles, currentView), afterRelist);

  const decide = createDecider({
    stopped: () => stopped,
    classifyContext,
    facts,
    models: {
      pending: () => models.pending(),
      settled: () => models.settled(),
      relist: () => models.relist(),
    },
    emit,
    reloadConfig: () => serially('config-reload', reloadConfig),
    refreshProject: () => serially('project-refresh', refreshProject),
    push,
    // What a running rule writes belongs to its cycle (src/rules/output-window.ts).
    absorb: (all) => rules.window.absorb(all),
    activity: () => scheduler.activity(),
    assetsChanged: (files) => emit({ type: 'assets-changed', files }),
  });
  // Changes the first watcher finds before the state is set wait for it (in order).
  let held: (readonly FileChange[])[] | undefined = [];
  const onChanges = (changes: readonly FileChange[]) => {
    if (held !== undefined) {
      held.push(changes);
      return;
    }
    if (!stopped) emit({ type: 'changes-observed', changes });
    decide(changes, false);
  };

  // The package graph: listed in the background (the first build never waits for it),
  // again on structural changes, with the same flags, tags and env as the build.
  const models = createModelKeeper({
    signal: lifetime.signal,
    emit,
    load: (abort) => listProjectModel(state.project, state.config, state.main, abort),
    adopt: (model) => adoptModel(model),
  });

  // A new model: classification and the watch filter see it at once; module directories
  // that only the graph names become watch roots; the Go files it lists are read once, so
  // that their first edit can be told apart from a comment edit.
  let tiersShown = false;
  const adoptModel = async (model: ProjectModel) => {
    const view = modelView(model, state.project.moduleRoot, state.main.relPath);
    const extra = editableDirsOutside(model, state.project.watchRoots);
    const nextRoots = [...state.project.watchRoots, ...extra];
    if (nextRoots.join('\n') !== state.roots.join('\n')) {
      await reopenWatcher((s) => ({ ...s, view, roots: nextRoots }));
      emit({ type: 'roots-changed', roots: state.roots });
      push({ kind: 'config', cause: 'roots-changed' });
    } else {
      state = { ...state, view };
    }
    await watcher?.refilter();
    if (watcher !== undefined) {
      const stats = watcher.stats();
      emit({
        type: 'tiers',
        hot: stats.hotFiles,
        cold: stats.coldFiles,
        pollIntervals: stats.pollIntervals,
        first: !tiersShown,
      });
      tiersShown = true;
    }
    await seedTokens(model, baseline, readFacts, lifetime.signal);
  };

  const open = (
    nextRoots: readonly string[],
    config: ResolvedConfig,
    abort?: AbortSignal,
    project: ResolvedGoProject = state.project,
  ) => {
    const matcher = createRootsMatcher(nextRoots, watchPatternsOf(config));
    const restartMatcher = createRootsMatcher(nextRoots, restartPatternsOf(config));
    const reloadMatcher = createRootsMatcher(nextRoots, config.proxy?.reloadOnly ?? []);
    const inputs = inputsOf(
      { roots: nextRoots, project, matcher, restartMatcher, reloadMatcher, config },
      configFiles,
      currentView,
    );
    const opening = openWatcher({
      roots: nextRoots,
      filter: watchFilterOf(inputs, outDir),
      config,
      backendForcedBy: options.overrides.backendSource ?? 'watch.poll in the config',
      onObservation: (o) => emit(watchEvent(o)),
      onChanges,
      signal: abort,
      emit,
    });
    return opening.then((opened) => ({ opened, matcher, restartMatcher, reloadMatcher }));
  };

  // Swaps in a watcher over the roots and patterns of `change(state)`, and the state with it.
  // The state changes only once the new watcher is up: a failure keeps the old one, and the
  // same edit saved again retries. One swap at a time, each from the state as it is then
  // (a model adopted or a config reloaded while another watcher opens is kept), and the
  // change applied to the state as it is when the watcher is up.
  let reopening = Promise.resolve();
  const reopenWatcher = (change: (s: SessionState) => SessionState): Promise<void> => {
    const run = reopening.then(async () => {
      const next = change(state);
      const { opened, matcher, restartMatcher, reloadMatcher } = await open(
        next.roots,
        next.config,
      );
      if (stopped) {
        await opened.close();
        return;
      }
      const old = watcher;
      state = { ...change(state), matcher, restartMatcher, reloadMatcher };
      watcher = opened;
      rootStatuses = await opened.ready();
      await old?.close();
      // Its walk recorded no hashes (hashOnReady: false): without them every touch is a change.
      await opened.refilter();
    });
    reopening = run.catch(() => undefined);
    return run;
  };

  // go.mod / go.work edits can add or drop `replace ../lib` and `use` directories, and a
  // go.work created later changes how the main package resolves.
  const refreshProject = async () => {
    const project = await resolveGoProject(cwd, { signal: lifetime.signal });
    const before = state;
    // go.mod / go.sum edits that leave the project as it was can still change the graph.
    if (JSON.stringify(project) === JSON.stringify(before.project)) {
      await models.relist();
      return;
    }
    const main = await resolveMain(input, project, before.config, lifetime.signal).catch(
      (err: unknown) => {
        if (!stopped) emit({ type: 'main-kept', error: errorInfo(err), main: before.main.relPath });
        return before.main;
      },
    );
    const rootsChanged = project.watchRoots.join('\n') !== before.project.watchRoots.join('\n');
    if (!rootsChanged) {
      state = { ...state, project, main };
      await models.relist();
      return;
    }
    await reopenWatcher((s) => ({ ...s, project, main, roots: project.watchRoots }));
    emit({ type: 'roots-changed', roots: state.roots });
    // Edits in a new root made before its first walk are only seen by building again.
    push({ kind: 'config', cause: 'roots-changed' });
    await models.relist();
  };

  const reloadConfig = async () => {
    const outcome = await reloader.reload();
    if (!outcome.ok) {
      emit({ type: 'config-rejected', error: errorInfo(outcome.error) });
      return;
    }
    const config = outcome.config;
    const plan = planConfigReload(outcome.changed);
    emit({ type: 'config-reloaded', changed: outcome.changed, atNextStart: plan.atNextStart });
    if (plan.updateStopPolicy) {
      supervisor.setStopPolicy(config.run.stopSignal, config.run.stopTimeoutMs);
    }
    let main = state.main;
    if (plan.resolveMain) {
      // A bad "main" must not hold back the rest of the edit: keep the running package.
      main = await resolveMain(input, state.project, config, lifetime.signal).catch(
        (err: unknown) => {
          if (!stopped)
            emit({ type: 'main-kept', error: errorInfo(err), main: state.main.relPath });
          return state.main;
        },
      );
    }
    if (plan.reopenWatcher) await reopenWatcher((s) => ({ ...s, config, main }));
    else state = { ...state, config, main };
    if (plan.rebuild) push({ kind: 'config', cause: 'config-changed' });
    if (plan.relist) void models.relist();
  };

  // The walk and the main package's go list run together; the first to fail stops the other,
  // and its error is the one reported (the other's is only the abort).
  let firstError: { readonly error: unknown } | undefined;
  const failOpening = (err: unknown): never => {
    firstError ??= { error: err };
    opening.abort(err);
    throw err;
  };
  const [first, main] = await Promise.allSettled([
    open(roots, startup.config, openingSignal, startup.project).catch(failOpening),
    mainResolving.catch(failOpening),
  ]);
  if (first.status === 'rejected' || main.status === 'rejected') {
    if (first.status === 'fulfilled') await first.value.opened.close();
    removeOutDir();
    await closeFrontends();
    checkAborted();
    throw firstError?.error;
  }
  watcher = first.value.opened;
  state = {
    config: startup.config,
    project: startup.project,
    main: main.value,
    roots,
    matcher: first.value.matcher,
    restartMatcher: first.value.restartMatcher,
    reloadMatcher: first.value.reloadMatcher,
    view: undefined,
  };
  const early = held;
  held = undefined;
  for (const changes of early) onChanges(changes);
  rootStatuses = await watcher.ready();
  const pollRoots = rootStatuses.filter((r) => r.backend === 'poll').length;
  emit({
    type: 'started',
    goVersion: state.project.version.raw,
    moduleRoot: state.project.moduleRoot,
    mainPackage: state.main.relPath,
    configSource: state.config.source,
    runDir: runDir.path,
    roots: rootStatuses,
    trackedFiles: watcher.stats().trackedFiles,
    polledSubtrees: watcher.stats().polledTrees - pollRoots,
    airConfig: startup.airConfig,
  } satisfies SessionEventBody);
  push({ kind: 'start' });
  // Hashing waited for the graph; without one, every file the patterns track is hashed.
  void models.relist().then((model) => {
    if (model === undefined && !stopped) return watcher?.refilter();
  });

  let stopping: Promise<void> | undefined;
  return {
    get project() {
      return state.project;
    },
    rebuild() {
      push({ kind: 'manual' });
    },
    stop(reason) {
      stopping ??= (async () => {
        stopped = true;
        await stopWatchLoop({ lifetime, emit, scheduler, reactions, watcher }, reason);
        await apps.stop(state.config.run.stopSignal);
        await closeFrontends();
        removeOutDir();
        emit({ type: 'ended' });
      })();
      return stopping;
    },
    forceStop() {
      stopped = true;
      lifetime.abort();
      const current = supervisor.state();
      if (current.status === 'running' || current.status === 'stopping') killGroupNow(current.app);
      // An app that exited on its own may have left helpers in their grace period: they
      // would outlive gohot, and the record that lets the next gohot reap them goes now.
      if (current.status === 'exited' && current.cleanup !== undefined) killGroupNow(current.pid);
      void closeFrontends();
      removeOutDir();
    },
    topology() {
      const { project, config, main } = state;
      const stats = watcher!.stats();
      return { project, config, main, roots: rootStatuses, stats, model: models.current() };
    },
  };
}
