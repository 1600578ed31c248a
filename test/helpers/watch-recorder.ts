import { describeObservation } from '../../src/report/describe.js';
import type {
  FileChange,
  RootStatus,
  Watcher,
  WatcherOptions,
  WatchObservation,
} from '../../src/watch/types.js';
import { createWatcher } from '../../src/watch/watcher.js';
import { waitFor } from './wait-for.js';

/** A running watcher with everything it reported. */
export interface Recorder {
  readonly watcher: Watcher;
  readonly statuses: readonly RootStatus[];
  readonly changes: FileChange[];
  readonly observations: WatchObservation[];
  /** The observations in words, as the terminal would print them (paths absolute). */
  readonly logs: { readonly level: string; readonly message: string }[];
  /** Batches that named a path twice (a batch must never do that). */
  readonly duplicateBatches: (readonly FileChange[])[];
  /** Changes of one path, in order, as `kind` strings. */
  kinds(path: string): string[];
  /** Waits until `path` was reported with `kind` at least once. */
  expectChange(path: string, kind: FileChange['kind']): Promise<void>;
  /** Everything captured, for timeout errors. */
  dump(): string;
}

/**
 * Starts a watcher (poll interval 50 ms unless given) that records every change and log,
 * waits until it is ready, and adds it to `open` so the test's afterEach can close it.
 */
export async function recordWatcher(
  options: Omit<WatcherOptions, 'onChanges' | 'onObservation'>,
  open: Watcher[],
): Promise<Recorder> {
  const changes: FileChange[] = [];
  const observations: WatchObservation[] = [];
  const logs: { level: string; message: string }[] = [];
  const duplicateBatches: (readonly FileChange[])[] = [];
  const watcher = createWatcher({
    pollIntervalMs: 50,
    ...options,
    onChanges: (batch) => {
      if (new Set(batch.map((c) => c.path)).size !== batch.length) duplicateBatches.push(batch);
      changes.push(...batch);
    },
    onObservation: (o) => {
      observations.push(o);
      const { level, text } = describeObservation(o);
      logs.push({ level, message: text });
    },
  });
  open.push(watcher);
  const statuses = await watcher.ready();
  const dump = () =>
    [
      `statuses: ${JSON.stringify(statuses)}`,
      `stats: ${JSON.stringify(watcher.stats())}`,
      `changes (${changes.length}, first 50):`,
      ...changes.slice(0, 50).map((c) => `  ${c.kind} ${c.path} via ${c.via}`),
      'logs:',
      ...logs.slice(0, 30).map((l) => `  ${l.level} ${l.message}`),
    ].join('\n');
  const kinds = (path: string) => changes.filter((c) => c.path === path).map((c) => c.kind);
  return {
    watcher,
    statuses,
    changes,
    observations,
    logs,
    duplicateBatches,
    kinds,
    dump,
    expectChange: (path, kind) =>
      waitFor(() => kinds(path).includes(kind), { what: `${kind} ${path}`, describe: dump }),
  };
}
