import type { FileFacts } from '../classify/content-delta.js';
import type { BaselineStore } from '../facts/baseline.js';
import type { ProjectModel } from '../go/model.js';

/** Files read per turn of the event loop: events and timers run in between. */
const FILES_PER_TURN = 64;

/**
 * Reads the Go files of the model's editable packages once and remembers their tokens, so
 * that the first edit of each can be told apart from a comment edit (the baseline is the
 * content the watcher had before the edit; its tokens are known when the bytes match).
 */
export async function seedTokens(
  model: ProjectModel,
  baseline: BaselineStore,
  read: (absPath: string) => FileFacts | undefined,
  signal: AbortSignal,
): Promise<number> {
  let n = 0;
  for (const [file, { role }] of model.files) {
    if (signal.aborted) break;
    if (role.kind !== 'go' && role.kind !== 'cgo' && role.kind !== 'ignored') continue;
    if (baseline.hasTokens(file)) continue;
    baseline.remember(file, read(file));
    if (++n % FILES_PER_TURN === 0) await new Promise((r) => setImmediate(r));
  }
  return n;
}
