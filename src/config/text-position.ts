/** A 1-based line and column, as editors and `file:line:col` links count them. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** Positions of offsets in one text, each found by binary search over precomputed line starts. */
export interface LineIndex {
  /** The 1-based line and column of a character offset (clamped to the text). */
  positionAt(offset: number): TextPosition;
}

/**
 * Indexes the line starts of `text` once (linear), so each {@link LineIndex.positionAt} costs
 * O(log lines): a file with thousands of problems is located in linear time overall, where a
 * rescan from the start per problem was quadratic. Columns count UTF-16 code units, which is
 * what VS Code and most terminals' link handlers use for JSON files. `\n`, `\r\n` and a lone
 * `\r` each end one line.
 */
export function createLineIndex(text: string): LineIndex {
  const starts = lineStarts(text);
  return {
    positionAt(offset) {
      const end = Math.min(Math.max(offset, 0), text.length);
      // The last line start at or before `end`.
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid]! <= end) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: end - starts[lo]! + 1 };
    },
  };
}

/** The offset where each line begins; the first is always 0. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    // \r\n counts once: the \n that follows ends the line.
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** One-off form of {@link createLineIndex}: linear in the text, so not for use in a loop. */
export function offsetToPosition(text: string, offset: number): TextPosition {
  return createLineIndex(text).positionAt(offset);
}
