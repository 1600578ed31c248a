import { readFileSync } from 'node:fs';
import path from 'node:path';
import { errnoCode, GohotError } from '../errors.js';

/** One problem in a .env file, at a 1-based line. */
export interface DotenvIssue {
  readonly line: number;
  readonly message: string;
}

/** A parsed .env file: its variables in file order (a later duplicate wins), or its first problem. */
export type DotenvResult =
  | { readonly ok: true; readonly vars: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly issue: DotenvIssue };

/** .env files larger than this are refused: a secrets file, not a data set. */
export const MAX_DOTENV_BYTES = 1024 * 1024;

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  '"': '"',
  $: '$',
};

/**
 * Parses .env text the way dotenv and godotenv read it:
 * - `KEY=VALUE` per line, an optional `export ` prefix, white space around key and value
 *   trimmed; blank lines and lines starting with `#` are skipped;
 * - unquoted values end at ` #` (a comment) and expand `${VAR}`, `${VAR:-default}` and `$VAR`;
 * - single quotes are literal (no escapes, no expansion);
 * - double quotes expand variables and read `\n`, `\r`, `\t`, `\\`, `\"` and `\$`;
 * - quoted values may span lines.
 * A variable expands to its value in `lookup` (gohot's environment), else to what the files
 * set before it, else to "". Pure.
 */
export function parseDotenv(
  text: string,
  lookup: (name: string) => string | undefined = () => undefined,
): DotenvResult {
  // No prototype: a "__proto__" line is a variable like any other.
  const vars: Record<string, string> = Object.create(null);
  const get = (name: string) =>
    lookup(name) ?? (Object.hasOwn(vars, name) ? vars[name] : undefined);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    if (eq < 0) {
      return fail(lineNo, `expected KEY=VALUE, but got ${JSON.stringify(trimmed.slice(0, 40))}`);
    }
    const key = body.slice(0, eq).trim();
    if (!KEY.test(key)) {
      return fail(
        lineNo,
        `${JSON.stringify(key)} is not a variable name (letters, digits, "_", "." and "-", not starting with a digit)`,
      );
    }
    let rest = body.slice(eq + 1).replace(/^[ \t]+/, '');
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      // The value runs to the matching quote, over several lines if it must.
      let end = closingQuote(rest, quote);
      let lastLine = i;
      while (end < 0 && lastLine + 1 < lines.length) {
        lastLine++;
        rest += `\n${lines[lastLine]}`;
        end = closingQuote(rest, quote);
      }
      if (end < 0) return fail(lineNo, `the ${quote} quote of ${key} is never closed`);
      const after = rest.slice(end + 1).trim();
      if (after !== '' && !after.startsWith('#')) {
        return fail(
          lastLine + 1,
          `unexpected ${JSON.stringify(after.slice(0, 20))} after the closing quote of ${key}`,
        );
      }
      const inner = rest.slice(1, end);
      vars[key] = quote === "'" ? inner : expand(readEscapes(inner), get);
      i = lastLine;
      continue;
    }
    const comment = rest.search(/\s#/);
    const value = (comment < 0 ? rest : rest.slice(0, comment)).trim();
    vars[key] = expand(value, get);
  }
  return { ok: true, vars: Object.fromEntries(Object.entries(vars)) };
}

function fail(line: number, message: string): DotenvResult {
  return { ok: false, issue: { line, message } };
}

/** Index of the quote closing the one at 0; a backslash escapes in double quotes only. */
function closingQuote(text: string, quote: string): number {
  for (let j = 1; j < text.length; j++) {
    if (quote === '"' && text[j] === '\\') {
      j++;
      continue;
    }
    if (text[j] === quote) return j;
  }
  return -1;
}

// A private-use character stands for an escaped "$" until expansion is done.
const DOLLAR = '\uE000';

function readEscapes(text: string): string {
  return text.replace(/\\(.)/gs, (all, c: string) =>
    c === '$' ? DOLLAR : Object.hasOwn(ESCAPES, c) ? ESCAPES[c]! : all,
  );
}

function expand(text: string, get: (name: string) => string | undefined): string {
  return text
    .replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (
        _all,
        braced: string | undefined,
        fallback: string | undefined,
        bare: string | undefined,
      ) => {
        const value = get((braced ?? bare)!);
        if (value !== undefined && value !== '') return value;
        return fallback ?? value ?? '';
      },
    )
    .replaceAll(DOLLAR, '$');
}

/**
 * Reads .env files (relative to `root`) in order: a later file's variable wins over an
 * earlier one's. `lookup` is the environment that expansion reads first.
 * @throws GohotError `ENV_FILE_INVALID` for a missing, unreadable, too large or malformed file.
 */
export function loadEnvFiles(
  files: readonly string[],
  root: string,
  lookup: (name: string) => string | undefined,
): Record<string, string> {
  const vars: Record<string, string> = Object.create(null);
  for (const file of files) {
    const abs = path.resolve(root, file);
    let text: string;
    try {
      const buffer = readFileSync(abs);
      if (buffer.length > MAX_DOTENV_BYTES) throw new RangeError('too large');
      text = buffer.toString('utf8');
    } catch (err) {
      const why =
        err instanceof RangeError
          ? `is larger than ${MAX_DOTENV_BYTES} bytes`
          : errnoCode(err) === 'ENOENT'
            ? 'does not exist'
            : `could not be read (${errnoCode(err) ?? String(err)})`;
      throw new GohotError(
        'ENV_FILE_INVALID',
        `The env file ${file} ${why}.`,
        'Create it, or remove it from "run.envFile" / "build.envFile" in gohot.json.',
      );
    }
    const parsed = parseDotenv(text, (name) => lookup(name) ?? vars[name]);
    if (!parsed.ok) {
      throw new GohotError(
        'ENV_FILE_INVALID',
        `${file}:${parsed.issue.line}: ${parsed.issue.message}.`,
        'Write one KEY=VALUE per line; quote values with spaces or "#" ("..." reads \\n escapes, \'...\' is literal).',
      );
    }
    for (const [k, v] of Object.entries(parsed.vars)) vars[k] = v;
  }
  return Object.fromEntries(Object.entries(vars));
}

/**
 * The variables `files` add to `env` (relative to `root`): a variable `env` already has is
 * kept (dotenv and godotenv do not override the environment); the config's own `env` is
 * applied over the result by the caller, so it wins over both.
 * @throws GohotError `ENV_FILE_INVALID` (see {@link loadEnvFiles}).
 */
export function envFromFiles(
  files: readonly string[],
  root: string,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  if (files.length === 0) return {};
  const vars = loadEnvFiles(files, root, (name) => env[name]);
  return Object.fromEntries(Object.entries(vars).filter(([k]) => env[k] === undefined));
}

/** The env files that can be watched: inside `root`, as patterns relative to it. */
export function envFilePatterns(files: readonly string[]): string[] {
  return files
    .map((f) => path.posix.normalize(f.replaceAll('\\', '/')))
    .filter((f) => !path.posix.isAbsolute(f) && f !== '..' && !f.startsWith('../'))
    .filter((f) => !/[*?[\]{}!]/.test(f));
}
