import { createScanner } from 'jsonc-parser';

/**
 * The deepest nesting of objects and arrays gohot reads from a config file. gohot.json
 * itself needs 3 (`{"build": {"env": {...}}}`); the cap only has to stop input that would
 * overflow the parser's stack, far below the few thousand levels where that happens.
 */
export const MAX_CONFIG_DEPTH = 64;

// Token kinds of jsonc-parser's scanner. Its SyntaxKind is an ambient const enum, which
// code compiled as isolated modules cannot read, so the values are spelled out here.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/**
 * The offset of the first `{` or `[` nested deeper than `maxDepth`, or undefined.
 *
 * jsonc-parser's parseTree recurses once per level and throws a RangeError (stack
 * overflow) at a few thousand levels, so this runs before it, over the same scanner, in a
 * loop. A closer ends a level only when it matches the innermost opener; the parser skips
 * a mismatched one too, so this count is never below the parser's depth, even in broken text.
 */
export function findTooDeep(text: string, maxDepth: number = MAX_CONFIG_DEPTH): number | undefined {
  const scanner = createScanner(text, true);
  const open: number[] = [];
  for (let token: number = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      if (open.length >= maxDepth) return scanner.getTokenOffset();
      open.push(token);
    } else if (
      (token === CLOSE_BRACE && open.at(-1) === OPEN_BRACE) ||
      (token === CLOSE_BRACKET && open.at(-1) === OPEN_BRACKET)
    ) {
      open.pop();
    }
  }
  return undefined;
}
