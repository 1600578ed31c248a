import path from 'node:path';
import {
  findNodeAtLocation,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { GohotError } from '../errors.js';
import { configIssuesError } from './config-issues.js';
import { configDisplayPath } from './display-path.js';
import { findTooDeep, MAX_CONFIG_DEPTH } from './json-depth.js';
import { quote } from './quote.js';
import { readConfigFile } from './read-config-file.js';
import { offsetToPosition } from './text-position.js';
import type { ConfigFile, LoadedConfig } from './types.js';
import { validateConfigTree, validatePatternsTree } from './validate.js';

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
 * Both are read only when they are regular files (or symbolic links to one) of at most
 * 1 MiB, nested at most 64 levels deep (see {@link readConfigFile}, {@link MAX_CONFIG_DEPTH}).
 *
 * @throws GohotError `CONFIG_SYNTAX`, `CONFIG_UNKNOWN_KEY`, `CONFIG_INVALID`, `CONFIG_TOO_DEEP`,
 *   `CONFIG_NOT_A_FILE`, `CONFIG_TOO_LARGE` or `CONFIG_READ`.
 */
export async function loadConfig(moduleRoot: string): Promise<LoadedConfig> {
  const gohotPath = path.resolve(moduleRoot, 'gohot.json');
  const gohotText = await readConfigFile(gohotPath);
  if (gohotText !== undefined) {
    return {
      kind: 'gohot.json',
      path: gohotPath,
      file: parseConfigText(gohotText, configDisplayPath(gohotPath)),
    };
  }
  const buddyPath = path.resolve(moduleRoot, 'codebuddy.json');
  const buddyText = await readConfigFile(buddyPath);
  if (buddyText !== undefined) {
    const file = parseCodebuddyText(buddyText, configDisplayPath(buddyPath));
    if (file !== undefined) return { kind: 'codebuddy.json', path: buddyPath, file };
  }
  return { kind: 'none', path: undefined, file: undefined };
}

/**
 * Parses and validates the text of a gohot.json; `fileLabel` prefixes every position.
 * @throws GohotError `CONFIG_SYNTAX`, `CONFIG_TOO_DEEP`, `CONFIG_UNKNOWN_KEY` or `CONFIG_INVALID`.
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
 * @throws GohotError `CONFIG_SYNTAX`, `CONFIG_TOO_DEEP` or `CONFIG_INVALID`.
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
  const tooDeep = findTooDeep(text);
  if (tooDeep !== undefined) {
    const { line, column } = offsetToPosition(text, tooDeep);
    throw new GohotError(
      'CONFIG_TOO_DEEP',
      `${fileLabel}:${line}:${column}: objects and arrays are nested more than ${MAX_CONFIG_DEPTH} levels deep here.`,
      opts.lenient
        ? `gohot reads only "go.watch.patterns" from codebuddy.json, and no config file nested deeper than ${MAX_CONFIG_DEPTH} levels; flatten the file, or create a gohot.json, which takes precedence.`
        : `gohot.json needs at most 3 levels ({"build": {"env": {...}}}) and gohot reads no config file nested deeper than ${MAX_CONFIG_DEPTH}; remove the extra nesting.`,
    );
  }
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
  // A token can be most of the file (an unclosed string); show only its start.
  const token = text.slice(error.offset, error.offset + Math.min(Math.max(error.length, 1), 40));
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
        ? `expected a key in double quotes, but found ${quote(token)}`
        : `expected a value, but found ${quote(token)}`;
    case 'CommaExpected':
      return `expected "," before ${quote(token)} (a comma is missing after the previous entry)`;
    case 'ColonExpected':
      return `expected ":" after the key, but found ${quote(token)}`;
    case 'CloseBraceExpected':
      return error.offset >= text.length
        ? 'unexpected end of file; expected "}"'
        : `expected "," or "}", but found ${quote(token)}`;
    case 'CloseBracketExpected':
      return error.offset >= text.length
        ? 'unexpected end of file; expected "]"'
        : `expected "," or "]", but found ${quote(token)}`;
    case 'EndOfFileExpected':
      return `expected the end of the file after the top-level object, but found ${quote(token)}`;
    case 'InvalidSymbol':
      return token.startsWith("'")
        ? 'keys and strings need double quotes, not single quotes'
        : `unexpected ${quote(token)}`;
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
      return `invalid number ${quote(token)}`;
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
