import type { FileChange } from '../watch/types.js';

/** What the window does with changes while it is open. */
export interface OutputWindowOptions {
  /**
   * Changes that are not outputs even while rules run: a rule's inputs (user edits that
   * must start a cycle of their own), config files, module files.
   */
  readonly passes: (absPath: string) => boolean;
}

/** The changes `absorb` let through, and whether absorbed ones changed the file set. */
export interface Absorbed {
  readonly rest: readonly FileChange[];
  /** An absorbed change created or deleted a file: the package graph may have changed. */
  readonly structural: boolean;
}

type WindowState =
  | { readonly status: 'closed' }
  | { readonly status: 'open'; readonly absorbed: Set<string> };

/**
 * Folds what generators write into the cycle that ran them. While open (from the first rule's
 * start until the watcher is in sync after the last one ended), a change of any file that
 * does not `pass` is taken as a rule's output: it starts no cycle, and the build that follows
 * reads it and records its content as built. Outputs of a cycle that did not build (cancelled,
 * a rule failed) are carried to the next one, which builds even when its own files came to
 * nothing.
 */
export class RuleOutputWindow {
  readonly #options: OutputWindowOptions;
  #state: WindowState = { status: 'closed' };
  readonly #carried = new Set<string>();

  constructor(options: OutputWindowOptions) {
    this.#options = options;
  }

  /** Starts taking changes as outputs. */
  open(): void {
    this.#state = { status: 'open', absorbed: new Set() };
  }

  /** Takes the outputs out of `changes` while open; returns the rest. */
  absorb(changes: readonly FileChange[]): Absorbed {
    const state = this.#state;
    if (state.status === 'closed') return { rest: changes, structural: false };
    const rest: FileChange[] = [];
    let structural = false;
    for (const change of changes) {
      if (this.#options.passes(change.path)) {
        rest.push(change);
        continue;
      }
      state.absorbed.add(change.path);
      if (change.kind !== 'modified') structural = true;
    }
    return { rest, structural };
  }

  /** Stops absorbing; returns every output since `open`, and those carried from earlier cycles. */
  close(): string[] {
    const state = this.#state;
    this.#state = { status: 'closed' };
    const out = new Set(this.#carried);
    this.#carried.clear();
    if (state.status === 'open') for (const p of state.absorbed) out.add(p);
    return [...out];
  }

  /** Outputs no build read: the next cycle builds them. */
  carry(paths: readonly string[]): void {
    for (const p of paths) this.#carried.add(p);
  }

  /** Outputs waiting for a build. */
  get carried(): readonly string[] {
    return [...this.#carried];
  }
}
