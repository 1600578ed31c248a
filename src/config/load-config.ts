import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  findNodeAtLocation,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { errnoCode, GohotError } from '../errors.js';
import { offsetToPosition } from './text-position.js';
import type { ConfigFile, LoadedConfig } from './types.js';
import { configIssuesError, validateConfigTree, validatePatternsTree } from './validate.js';

/** The key gohot reads from codebuddy.json, written flat (VS Code style) or nested. */
export const CODEBUDDY_PATTERNS_KEY = 'go.watch.patterns';

/**
 * Finds and reads the configuration of the module at `moduleRoot`:
 * `gohot.json` if it exists (the whole file), else a `codebuddy.json` with a
 * `go.watch.patterns` key (only that key, as `watch.patterns`), else nothing (defaults).
 *
 * gohot.json is strict JSON: comments and trailing commas are syntax errors, reported with
 * a message that says so. The file is named `.json`, editors validate it as plain JSON
 * (VS Code flags comments in `*.json` unless told otherwise), and scripts read it with
 * `JSON.parse`, `jq` or Go's encoding/json; accepting JSONC would make gohot the only
 * tool that agrees with the file. codebuddy.json belongs to another tool whose settings
 * files allow comments, so it is parsed leniently.
 *
 * @throws GohotError `CONFIG_SYNTAX`, `CONFIG_UNKNOWN_KEY`, `CONFIG_INVALID` or `CONFIG_READ`.
 */
export async function loadConfig(moduleRoot: string): Promise<LoadedConfig> {
  const gohotPath = path.resolve(moduleRoot, 'gohot.json');
  const gohotText = await readOptional(gohotPath);
  if (gohotText !== undefined) {
    return {
      kind: 'gohot.json',
      path: gohotPath,
      file: parseConfigText(gohotText, displayPath(gohotPath)),
    };
  }
  const buddyPath = path.resolve(moduleRoot, 'codebuddy.json');
  const buddyText = await readOptional(buddyPath);
  if (buddyText !== undefined) {
    const file = parseCodebuddyText(buddyText, displayPath(buddyPath));
    if (file !== undefined) return { kind: 'codebuddy.json', path: buddyPath, file };
  }
  return { kind: 'none', path: undefined, file: undefined };
}

/**
 * Parses and validates the text of a gohot.json; `fileLabel` prefixes every position.
 * @throws GohotError `CONFIG_SYNTAX`, `CONFIG_UNKNOWN_KEY` or `CONFIG_INVALID`.
 */
export function parseConfigText(text: string, fileLabel: string): ConfigFile {
  const source = stripBom(text);
  const root = parseStrict(source, fileLabel, { lenient: false });
  const { file, issues } = validateConfigTree(root, source);
  if (issues.length > 0) throw configIssuesError(fileLabel, issues);
  return file;
}

/**
 * Reads only `go.watch.patterns` from the text of a codebuddy.json, as `watch.patterns`;
 * undefined when the key is absent. Comments and trailing commas are allowed there.
 * @throws GohotError `CONFIG_SYNTAX` or `CONFIG_INVALID`.
 */
export function parseCodebuddyText(text: string, fileLabel: string): ConfigFile | undefined {
  const source = stripBom(text);
  const root = parseStrict(source, fileLabel, { lenient: true });
  if (root.type !== 'object') return undefined;
  const flat = root.children?.find((p) => p.children?.[0]?.value === CODEBUDDY_PATTERNS_KEY);
  const node = flat?.children?.[1] ?? findNodeAtLocation(root, ['go', 'watch', 'patterns']);
  if (node === undefined) return undefined;
  const { patterns, issues } = validatePatternsTree(node, source, CODEBUDDY_PATTERNS_KEY);
  if (issues.length > 0) throw configIssuesError(fileLabel, issues);
  return { watch: { patterns } };
}

function parseStrict(text: string, fileLabel: string, opts: { lenient: boolean }): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    disallowComments: !opts.lenient,
    allowTrailingComma: opts.lenient,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (first !== undefined || root === undefined) {
    const offset = first === undefined || text.trim() === '' ? 0 : first.offset;
    const { line, column } = offsetToPosition(text, offset);
    const what = first ? describeSyntaxError(text, first, opts.lenient) : 'expected a JSON object';
    // Only the first error: after one mistake the parser's later errors are mostly echoes.
    const hint = opts.lenient
      ? 'gohot reads only "go.watch.patterns" from codebuddy.json; fix the syntax there, or create a gohot.json, which takes precedence.'
      : 'Fix the JSON at that position. gohot.json is plain JSON: keys and strings in double quotes, no comments, no trailing commas.';
    return throwSyntax(`${fileLabel}:${line}:${column}: ${what}.`, hint);
  }
  return root;
}

function throwSyntax(message: string, hint: string): never {
  throw new GohotError('CONFIG_SYNTAX', message, hint);
}

function describeSyntaxError(text: string, error: ParseError, lenient: boolean): string {
  const token = text.slice(error.offset, error.offset + Math.max(error.length, 1));
  switch (printParseErrorCode(error.error)) {
    case 'InvalidCommentToken':
      return 'comments are not allowed: gohot.json is plain JSON (see the README for each key instead)';
    case 'PropertyNameExpected':
    case 'ValueExpected':
      if (text.trim() === '') return 'the file is empty; expected a JSON object such as {}';
      if (!lenient && isTrailingComma(text, error.offset)) {
        return `trailing comma before "${token}": gohot.json is plain JSON, remove the comma`;
      }
      if (error.offset >= text.length) return 'unexpected end of file; expected a value';
      return printParseErrorCode(error.error) === 'PropertyNameExpected'
        ? `expected a key in double quotes, but found ${JSON.stringify(token)}`
        : `expected a value, but found ${JSON.stringify(token)}`;
    case 'CommaExpected':
      return `expected "," before ${JSON.stringify(token)} (a comma is missing after the previous entry)`;
    case 'ColonExpected':
      return `expected ":" after the key, but found ${JSON.stringify(token)}`;
    case 'CloseBraceExpected':
      return error.offset >= text.length
        ? 'unexpected end of file; expected "}"'
        : `expected "," or "}", but found ${JSON.stringify(token)}`;
    case 'CloseBracketExpected':
      return error.offset >= text.length
        ? 'unexpected end of file; expected "]"'
        : `expected "," or "]", but found ${JSON.stringify(token)}`;
    case 'EndOfFileExpected':
      return `expected the end of the file after the top-level object, but found ${JSON.stringify(token)}`;
    case 'InvalidSymbol':
      return token.startsWith("'")
        ? 'keys and strings need double quotes, not single quotes'
        : `unexpected ${JSON.stringify(token)}`;
    case 'UnexpectedEndOfString':
      return 'a string is not closed with "';
    case 'UnexpectedEndOfComment':
      return 'a comment is not closed with */';
    case 'InvalidCharacter':
      return 'a string contains a raw control character (line break or tab); write \\n or \\t';
    case 'InvalidEscapeCharacter':
      return 'a string contains an invalid escape sequence';
    case 'InvalidUnicode':
      return 'a string contains an invalid \\u escape';
    default:
      return `invalid number ${JSON.stringify(token)}`;
  }
}

/** True when the last token before `offset` (skipping whitespace) is a comma. */
function isTrailingComma(text: string, offset: number): boolean {
  const next = text[offset];
  if (next !== '}' && next !== ']') return false;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === ',';
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw new GohotError(
      'CONFIG_READ',
      `gohot could not read ${displayPath(file)} (${errnoCode(err) ?? String(err)}).`,
      'Check that the file is a readable regular file, or remove it to use the defaults.',
      { cause: err },
    );
  }
}

/** Relative to the current directory when inside it (so terminals can open it), else absolute. */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
