import path from 'node:path';
import { hasControlCharacter, quote } from './quote.js';

/**
 * How config messages name a file: relative to `cwd`, by default the directory gohot was
 * started from (the shell's, not `-C <dir>`), when the file is below it, so terminals can
 * open `gohot.json:3:5`; else absolute. Every config message that names a file builds the
 * name here. A path holding control characters is quoted, so it cannot drive the terminal.
 */
export function configDisplayPath(file: string, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, file);
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  const shown = rel === '' || outside ? file : rel;
  return hasControlCharacter(shown) ? quote(shown, Number.POSITIVE_INFINITY) : shown;
}
