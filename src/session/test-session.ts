import path from 'node:path';
import { classifyContextOf, patternsFor, watchFilterOf } from '../classify/contexts.js';
import type { FilterModel } from '../classify/model-view.js';
import { testModelView } from '../classify/test-view.js';
import { createConfigReloader } from '../config/config-watch.js';
import { createRootsMatcher } from '../config/roots-matcher.js';
import type { ConfigOverrides, ResolvedConfig } from '../config/types.js';
import { GohotError } from '../errors.js';
import { BaselineStore } from '../facts/baseline.js';
import { readFacts } from '../facts/read-facts.js';
import { isPathArgument } from '../go/package-args.js';
import { loadTestGraph, type TestGraph } from '../go/test-graph.js';
import { errorInfo, type StopReason } from '../report/events.js';
import { createTestEmitter, type TestReporter } from '../report/test-events.js';
import { startGroupExec } from '../run/group-exec-setup.js';
import { openStateDir } from '../run/state-dir.js';
import { createScheduler, type Trigger } from '../schedule/scheduler.js';
import type { FileChange, Watcher } from '../watch/types.js';
import { createDecider, inputsOf } from './decide.js';
import { netEffect } from './intake.js';
import { createModelKeeper } from './model-keeper.js';
import { openWatcher } from './open-watcher.js';
import { modelContextOf, resolveProjectConfig } from './resolve-startup.js';
import { seedTokens } from './seed-tokens.js';
import { createTestCycle } from './test-cycle.js';
import { watchEvent } from './to-events.js';
import { createSerialReactions, reportSchedulerDecisions, stopWatchLoop } from './wiring.js';

/** Options of startTestSession. */
export interface TestSessionOptions {
  /** Directory gohot was started in. */
  readonly cwd: string;
  /** Package patterns as the user wrote them, relative to `cwd`. @default the module's ./... */
  readonly patterns: readonly string[];
  /** go test flags given after `--`, passed on verbatim. */
  readonly flags: readonly string[];
  readonly overrides: ConfigOverrides;
  readonly reporter: TestReporter;
  /** Aborting it during start-up cleans up and rejects with STARTUP_ABORTED. */
  readonly signal?: AbortSignal;
}

/** A running watch -> select -> go test loop. */
export interface TestSession {
  /** Queue a run: every selected package, the failed tests, or the last run again. */
  request(scope: 'all' | 'failed' | 'last'): void;
  /** Graceful stop: cancel the run (its process group is killed), release watches. */
  stop(reason: StopReason): Promise<void>;
  /** Forced stop (second Ctrl-C): kill the running tests' group at once. */
  forceStop(): void;
}

/** A run never keeps going once a newer save came: go's build cache keeps its work. */
const ALWAYS_CANCEL = {
  maxAgeMs: Number.POSITIVE_INFINITY,
  maxConsecutive: Number.POSITIVE_INFINITY,
};

/**
 * A package pattern as go list and go test see it from the module root: a path pattern
 * (`./x/...`, `.`) is made relative to the module root; an import path stays as it is.
 */
export function modulePattern(cwd: string, moduleRoot: string, pattern: string): string {
  if (!isPathArgument(pattern)) return pattern;
  const rel = path.relative(moduleRoot, path.resolve(cwd, pattern));
  if (rel === '') return '.';
  return rel.startsWith('..') ? path.resolve(cwd, pattern) : `./${rel}`;
}

/**
 * Resolves the project and config as `gohot run` does (no main package), then watches the
 * same way and, on each change, runs the tests of the packages it can affect.
 */
export async function startTestSession(options: TestSessionOptions): Promise<TestSession> {
  const { cwd, signal } = options;
  const emit = createTestEmitter(options.reporter);
  const input = { cwd, overrides: options.overrides };
  const checkAborted = () => {
    if (signal?.aborted) {
      throw new GohotError('STARTUP_ABORTED', 'gohot was stopped while it was starting.');
    }
  };
  const startup = await resolveProjectConfig(input, signal).catch((err: unknown) => {
    checkAborted();
    throw err;
  });
  const { project, configFiles } = startup;
  const reloader = createConfigReloader(project.moduleRoot, options.overrides, startup.config);
  const given = options.patterns.length === 0 ? ['./...'] : options.patterns;
  const patterns =
    options.patterns.length === 0
      ? given
      : given.map((p) => modulePattern(cwd, project.moduleRoot, p));
  const label = `the tests of ${patterns.join(' ')}`;

  const roots = project.watchRoots;
  let config: ResolvedConfig = startup.config;
  let view: FilterModel | undefined;
  const matcher = createRootsMatcher(roots, patternsFor('test', config.watch.patterns));
  // watch.restartOnly restarts an app; there is none here.
  const restartMatcher = createRootsMatcher(roots, []);
  const source = () => ({ roots, project, matcher, restartMatcher, config });
  const inputs = () => inputsOf(source(), configFiles, () => view, 'test');
  const baseline = new BaselineStore();
  const facts = { read: readFacts, baseline };
  let watcher: Watcher | undefined;
  let stopped = false;
  const lifetime = new AbortController();
  // go test's processes as groups in gohot's own session too (see group-exec-linux.ts); no
  // private state directory, no helper: sessions of their own.
  try {
    startGroupExec(openStateDir(), project.goBin, lifetime.signal);
  } catch {}

  const models = createModelKeeper<TestGraph>({
    signal: lifetime.signal,
    emit,
    load: (abort) =>
      loadTestGraph(
        {
          goBin: project.goBin,
          cwd: project.moduleRoot,
          pkg: patterns,
          flags: config.build.flags,
          tags: config.build.tags,
          env: { ...process.env, ...config.build.env },
        },
        modelContextOf(project),
        abort,
      ),
    adopt: async (graph) => {
      view = testModelView(graph.model, project.moduleRoot, label);
      await watcher?.refilter();
      await seedTokens(graph.model, baseline, readFacts, lifetime.signal);
    },
  });

  const scheduler = createScheduler({
    quietWindowMs: () => config.watch.quietWindowMs,
    leadingEdge: () => config.watch.leadingEdge,
    cancelPolicy: ALWAYS_CANCEL,
    runCycle: createTestCycle({
      goBin: project.goBin,
      moduleRoot: () => project.moduleRoot,
      config: () => config,
      flags: options.flags,
      patterns,
      graph: () => models.settled(),
      emit,
      syncWatcher: () => watcher?.sync() ?? Promise.resolve(),
      netEffect: (batch) => netEffect(batch, config.watch.lineShifts, facts),
    }),
    onDecision: reportSchedulerDecisions(emit),
  });
  const push = (trigger: Trigger) => {
    if (!stopped) scheduler.push(trigger);
  };

  // Config and go.mod reactions run one at a time, in order, and never after stop().
  const reactions = createSerialReactions(emit, () => stopped);
  const serially = reactions.run;
  const reloadConfig = async () => {
    const outcome = await reloader.reload();
    if (!outcome.ok) {
      emit({ type: 'config-rejected', error: errorInfo(outcome.error) });
      return;
    }
    config = outcome.config;
    // gohot test uses neither the proxy nor run.listen: nothing waits for a next start.
    emit({ type: 'config-reloaded', changed: outcome.changed, atNextStart: [] });
    await models.relist();
    push({ kind: 'config', cause: 'config-changed' });
  };
  // go.mod / go.sum: the graph is listed again and everything runs (the trigger says all).
  const refreshProject = async () => {
    await models.relist();
  };

  const decide = createDecider({
    stopped: () => stopped,
    classifyContext: (afterRelist) => classifyContextOf(inputs(), afterRelist),
    facts,
    models,
    emit,
    reloadConfig: () => serially('config-reload', reloadConfig),
    refreshProject: () => serially('project-refresh', refreshProject),
    push,
  });

  try {
    watcher = await openWatcher({
      roots,
      filter: watchFilterOf(inputs(), undefined),
      config,
      backendForcedBy: options.overrides.backendSource ?? 'watch.poll in the config',
      onObservation: (o) => emit(watchEvent(o)),
      onChanges: (changes: readonly FileChange[]) => decide(changes),
      signal,
    });
  } catch (err) {
    checkAborted();
    throw err;
  }
  const rootStatuses = await watcher.ready();
  emit({
    type: 'test-session-started',
    goVersion: project.version.raw,
    moduleRoot: project.moduleRoot,
    patterns: given,
    configSource: config.source,
    roots: rootStatuses,
    trackedFiles: watcher.stats().trackedFiles,
  });
  void models.relist().then((graph) => {
    if (graph === undefined && !stopped) return watcher?.refilter();
  });
  push({ kind: 'start' });

  let stopping: Promise<void> | undefined;
  return {
    request(scope) {
      push({ kind: 'manual', scope });
    },
    stop(reason) {
      stopping ??= (async () => {
        stopped = true;
        await stopWatchLoop({ lifetime, emit, scheduler, reactions, watcher }, reason);
      })();
      return stopping;
    },
    forceStop() {
      stopped = true;
      lifetime.abort();
      // Aborting the running cycle SIGKILLs its go test process group at once.
      void scheduler.close();
    },
  };
}
