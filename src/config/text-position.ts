/** A 1-based line and column, as editors and `file:line:col` links count them. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Converts a character offset into a 1-based line and column. Columns count UTF-16 code
 * units, which is what VS Code and most terminals' link handlers use for JSON files.
 */
export function offsetToPosition(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    const ch = text.charCodeAt(i);
    // \r\n counts once: the \n that follows ends the line.
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
