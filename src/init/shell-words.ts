/**
 * Splits the shell strings of a `.air.toml` (air runs `cmd`, `pre_cmd`, `bin` and
 * `full_bin` with `/bin/sh -c`) into words and commands, as far as that can be done
 * without running a shell: quotes, backslashes, `&&`, `||`, `;`, `|` and line breaks.
 * Anything a shell would expand (`$VAR`, `$(...)`, backquotes, globs, redirections) makes
 * the command `opaque`: it is kept as a string and never guessed at.
 */

/** How one simple command of a shell string ends. */
export type CommandSeparator = '&&' | '||' | ';' | '|' | 'newline' | 'end';

/** One simple command: leading `NAME=value` assignments, then its words. */
export interface ShellCommand {
  /** `CGO_ENABLED=0 go build` gives `{CGO_ENABLED: "0"}`. */
  readonly env: Readonly<Record<string, string>>;
  readonly words: readonly string[];
  /** The command's own text, trimmed, for notes (`["sh", "-c", text]`). */
  readonly text: string;
  /** What follows it. */
  readonly followedBy: CommandSeparator;
}

/** A shell string split into commands, or `opaque` when a shell would expand something. */
export type ShellSplit =
  | { readonly kind: 'commands'; readonly commands: readonly ShellCommand[] }
  | { readonly kind: 'opaque'; readonly what: string };

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Splits `text` (CRLF or LF line breaks) into simple commands. */
export function splitShell(text: string): ShellSplit {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let word: string | undefined;
  let start = 0;
  const src = text.replace(/\r\n?/g, '\n');
  const finish = (end: number, then: CommandSeparator) => {
    if (word !== undefined) words.push(word);
    word = undefined;
    const cmdText = src.slice(start, end).trim();
    if (words.length > 0) commands.push(toCommand(words, cmdText, then));
    words = [];
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\\') {
      const next = src[i + 1];
      if (next === '\n') {
        i += 2; // a line continuation
        continue;
      }
      word = (word ?? '') + (next ?? '');
      i += 2;
      continue;
    }
    if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      if (end === -1) return { kind: 'opaque', what: 'an unclosed single quote' };
      word = (word ?? '') + src.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let value = '';
      for (; j < src.length && src[j] !== '"'; j++) {
        const c = src[j]!;
        if (c === '$' || c === '`') return { kind: 'opaque', what: `an expansion (${c})` };
        if (c === '\\' && '"\\$`\n'.includes(src[j + 1] ?? '')) {
          value += src[j + 1];
          j++;
        } else value += c;
      }
      if (j >= src.length) return { kind: 'opaque', what: 'an unclosed double quote' };
      word = (word ?? '') + value;
      i = j + 1;
      continue;
    }
    if (ch === '$' || ch === '`') return { kind: 'opaque', what: `an expansion (${ch})` };
    if ('<>(){}*?['.includes(ch) || (ch === '&' && src[i + 1] !== '&')) {
      return { kind: 'opaque', what: `the shell syntax "${ch}"` };
    }
    if (ch === '#' && word === undefined) {
      const eol = src.indexOf('\n', i);
      i = eol === -1 ? src.length : eol;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      finish(i, two);
      i += 2;
      start = i;
      continue;
    }
    if (ch === ';' || ch === '|' || ch === '\n') {
      finish(i, ch === '\n' ? 'newline' : ch);
      i += 1;
      start = i;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i += 1;
      continue;
    }
    word = (word ?? '') + ch;
    i += 1;
  }
  finish(src.length, 'end');
  return { kind: 'commands', commands };
}

function toCommand(all: readonly string[], text: string, then: CommandSeparator): ShellCommand {
  const env: [string, string][] = [];
  let k = 0;
  for (; k < all.length; k++) {
    const m = ASSIGNMENT.exec(all[k]!);
    if (m === null) break;
    env.push([m[1]!, m[2]!]);
  }
  return { env: Object.fromEntries(env), words: all.slice(k), text, followedBy: then };
}
