/** Which output stream of the app a chunk came from. */
export type AppStream = 'stdout' | 'stderr';

/**
 * The last lines the app printed (both streams, in arrival order), for the browser overlay
 * after a crash. Lines longer than `maxLineChars` are cut; only the last `maxLines` stay.
 */
export class OutputTail {
  readonly #maxLines: number;
  readonly #maxLineChars: number;
  #lines: string[] = [];
  readonly #partial = new Map<AppStream, string>();
  readonly #listeners = new Set<() => void>();

  /** @param maxLines @default 30 @param maxLineChars @default 400 */
  constructor(maxLines = 30, maxLineChars = 400) {
    this.#maxLines = maxLines;
    this.#maxLineChars = maxLineChars;
  }

  /** Adds output of the current app. */
  push(stream: AppStream, chunk: Buffer | string): void {
    const text = (this.#partial.get(stream) ?? '') + chunk.toString();
    const parts = text.split('\n');
    const rest = parts.pop() ?? '';
    this.#partial.set(stream, rest.slice(0, this.#maxLineChars));
    for (const line of parts)
      this.#lines.push(line.replace(/\r$/, '').slice(0, this.#maxLineChars));
    if (this.#lines.length > this.#maxLines)
      this.#lines.splice(0, this.#lines.length - this.#maxLines);
    for (const listener of this.#listeners) listener();
  }

  /** The last lines, an unfinished last line of each stream included. */
  lines(): readonly string[] {
    const partial = [...this.#partial.values()].filter((p) => p !== '');
    return [...this.#lines, ...partial].slice(-this.#maxLines);
  }

  /** Forgets everything: a new app starts. */
  reset(): void {
    this.#lines = [];
    this.#partial.clear();
  }

  /** Calls `listener` after every push; returns the function that unsubscribes. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
