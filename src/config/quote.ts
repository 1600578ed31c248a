// Characters a terminal may act on that JSON.stringify leaves as they are: DEL, the C1
// controls (U+0080-U+009F; U+009B is an 8-bit CSI), the line and paragraph separators, and
// the bidi embedding, override and isolate controls, which reorder what a reader sees.
const UNSAFE_UNESCAPED = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNSAFE_UNESCAPED = new RegExp(UNSAFE_UNESCAPED.source);

/**
 * `text` as a JSON string literal that is safe to print on a terminal: JSON.stringify
 * escapes NUL, ESC, line breaks and the other C0 controls, and this escapes the characters
 * it leaves raw (see above) as `\uXXXX` too. Config messages show user keys and values only
 * through this, so a key holding an escape sequence cannot drive the terminal. Text longer
 * than `maxLength` is cut and ends in `...` inside the quotes.
 *
 * @param maxLength @default 80
 */
export function quote(text: string, maxLength = 80): string {
  const shown = text.length > maxLength ? `${text.slice(0, Math.max(maxLength - 3, 0))}...` : text;
  return JSON.stringify(shown).replace(
    UNSAFE_UNESCAPED,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** True when `text` holds a character that {@link quote} escapes as a control. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x20) return true;
  }
  return HAS_UNSAFE_UNESCAPED.test(text);
}
