import { GohotError } from '../errors.js';

/**
 * Splits concatenated JSON values, as printed by `go list -json` and `go mod edit -json`
 * (indented objects back to back, not one per line), and parses each one.
 * Walks the text once, tracking nesting depth and string/escape state, so braces inside
 * strings do not confuse it. Whitespace between values is ignored; anything else between
 * values is an error (`GO_OUTPUT_INVALID`).
 */
export function parseJsonStream(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === BACKSLASH) escaped = true;
      else if (ch === QUOTE) inString = false;
      continue;
    }
    if (ch === QUOTE) {
      if (depth === 0) throw invalid(text, i);
      inString = true;
    } else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
      if (depth === 0) throw invalid(text, i);
      depth--;
      if (depth === 0) {
        values.push(parseOne(text, start, i + 1));
        start = -1;
      }
    } else if (depth === 0 && !isJsonWhitespace(ch)) {
      throw invalid(text, i);
    }
  }
  if (depth !== 0 || inString) throw invalid(text, text.length);
  return values;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isJsonWhitespace(ch: number): boolean {
  return ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09;
}

function parseOne(text: string, start: number, end: number): unknown {
  try {
    return JSON.parse(text.slice(start, end));
  } catch (cause) {
    throw invalid(text, start, cause);
  }
}

function invalid(text: string, offset: number, cause?: unknown): GohotError {
  const excerpt = text.slice(Math.max(0, offset - 40), offset + 40);
  return new GohotError(
    'GO_OUTPUT_INVALID',
    `The go command printed output gohot cannot read as JSON (at offset ${offset}: ${JSON.stringify(excerpt)}).`,
    'This is likely a gohot bug or an unusual go wrapper; run the go command by hand to see its output and report it.',
    { cause },
  );
}
