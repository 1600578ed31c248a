import { modelUsability, type ProjectModel } from '../go/model.js';
import { type Emit, errorInfo } from '../report/events.js';

/** What the keeper needs: how to list, and what to do with a new model. */
export interface ModelKeeperDeps<M extends ProjectModel = ProjectModel> {
  /** Runs go list for the current project and config. */
  readonly load: (signal: AbortSignal) => Promise<M>;
  /** Called with each new usable model, before `relist()` resolves. */
  readonly adopt: (model: M, previous: M | undefined) => Promise<void>;
  readonly emit: Emit;
  /** Aborted when the session stops: a running go list is killed. */
  readonly signal: AbortSignal;
}

/** Keeps the last good project model and lists it again on request. */
export interface ModelKeeper<M extends ProjectModel = ProjectModel> {
  current(): M | undefined;
  /** True while a listing runs or is queued: the graph may be about to change. */
  pending(): boolean;
  /** Resolves once the listings running or queued now are done (starts none). */
  settled(): Promise<M | undefined>;
  /**
   * Lists again. Requests while a listing runs are folded into one more listing after it,
   * so the result always reflects the files as they were after the request. Resolves with
   * the model in effect afterwards (the last good one when listing failed). Never rejects.
   */
  relist(): Promise<M | undefined>;
}

/**
 * The model stage of a session: one go list at a time, the last good model kept when the
 * main package cannot be listed (the build then shows the real compiler error).
 */
export function createModelKeeper<M extends ProjectModel = ProjectModel>(
  deps: ModelKeeperDeps<M>,
): ModelKeeper<M> {
  let model: M | undefined;
  let running: Promise<M | undefined> | undefined;
  let queued: Promise<M | undefined> | undefined;

  const listOnce = async (): Promise<M | undefined> => {
    if (deps.signal.aborted) return model;
    deps.emit({ type: 'model-list-started', first: model === undefined });
    try {
      const next = await deps.load(deps.signal);
      const usability = modelUsability(next);
      if (!usability.usable) {
        deps.emit({
          type: 'model-kept',
          reason: { by: usability.reason, error: usability.error },
          kept: model !== undefined,
        });
        return model;
      }
      const previous = model;
      model = next;
      await deps.adopt(next, previous);
      deps.emit({
        type: 'model-listed',
        packages: next.packages.size,
        editable: [...next.packages.values()].filter((p) => p.editable).length,
        files: next.files.size,
        errors: next.errors,
        durationMs: next.durationMs,
        first: previous === undefined,
      });
    } catch (err) {
      if (!deps.signal.aborted) {
        deps.emit({
          type: 'model-kept',
          reason: { by: 'list-failed', error: errorInfo(err).message },
          kept: model !== undefined,
        });
      }
    }
    return model;
  };

  return {
    current: () => model,
    pending: () => running !== undefined || queued !== undefined,
    settled: () => queued ?? running ?? Promise.resolve(model),
    relist() {
      if (queued) return queued;
      if (!running) {
        running = listOnce().finally(() => {
          running = undefined;
        });
        return running;
      }
      const after = running;
      queued = after.then(() => {
        queued = undefined;
        running = listOnce().finally(() => {
          running = undefined;
        });
        return running;
      });
      return queued;
    },
  };
}
