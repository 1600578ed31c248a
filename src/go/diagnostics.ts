import { isAbsolute, relative, resolve } from 'node:path';
import type { Diagnostic } from './types.js';

/** One line of go build output, with the import path -json mode attached to it. */
interface OutputLine {
  readonly text: string;
  /** ImportPath of the -json event that carried the line; undefined in text mode. */
  readonly importPath: string | undefined;
}

/**
 * Parses the text output of `go build` into diagnostics. Understands `# importpath`
 * headers, `file:line:col: message` and `file:line: message`, tab-indented continuation
 * lines (appended to the previous message with "\n", tab kept), "too many errors", and
 * go command errors without a position (`go: ...`, `package x imports y: import cycle`,
 * `stat ./cmd/x: directory not found`), which get `file: undefined`. Relative paths are
 * resolved against `cwd`, the directory go build ran in.
 */
export function parseBuildText(text: string, cwd: string): Diagnostic[] {
  return parseLines(
    splitLines(text).map((t) => ({ text: t, importPath: undefined })),
    cwd,
  );
}

/**
 * Parses `go build -json` output (Go >= 1.24: one `{ImportPath, Action, Output}` object
 * per line). Joining every Output in order gives `text`, the exact output text mode would
 * have printed. Lines that are not JSON (fatal errors printed on stderr before any
 * package is built, e.g. a broken go.mod) are kept in `text` and parsed too.
 * Each diagnostic's importPath is the event's ImportPath (for a missing import that is
 * the missing package), falling back to the `# importpath` header.
 */
export function parseBuildJson(
  text: string,
  cwd: string,
): { diagnostics: Diagnostic[]; text: string } {
  const lines: OutputLine[] = [];
  let joined = '';
  // Output chunks are whole lines in practice; buffering per package keeps a line split
  // over two events (or interleaved with another package's events) intact anyway.
  const pending = new Map<string, string>();
  for (const raw of splitLines(text)) {
    const event = parseEvent(raw);
    if (event === undefined) {
      joined += `${raw}\n`;
      lines.push({ text: raw, importPath: undefined });
      continue;
    }
    if (typeof event.Output !== 'string') continue;
    joined += event.Output;
    const key = event.ImportPath ?? '';
    const parts = ((pending.get(key) ?? '') + event.Output).split('\n');
    pending.set(key, parts.pop() ?? '');
    for (const t of parts) lines.push({ text: t, importPath: event.ImportPath });
  }
  for (const [key, rest] of pending) {
    if (rest !== '') lines.push({ text: rest, importPath: key === '' ? undefined : key });
  }
  return { diagnostics: parseLines(lines, cwd), text: joined };
}

/**
 * Formats a diagnostic the way the compiler does, `path:line:col: message`, with the path
 * relative to `cwd` (when that is shorter) so terminals and editors can jump to it.
 */
export function formatDiagnostic(d: Diagnostic, cwd: string = process.cwd()): string {
  if (d.file === undefined) return d.message;
  const rel = relative(cwd, d.file);
  const path = rel !== '' && rel.length < d.file.length ? rel : d.file;
  const pos =
    d.line === undefined ? '' : d.column === undefined ? `:${d.line}` : `:${d.line}:${d.column}`;
  return `${path}${pos}: ${d.message}`;
}

interface BuildEvent {
  ImportPath?: string;
  Action?: string;
  Output?: string;
}

function parseEvent(line: string): BuildEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v === 'object' && v !== null && typeof (v as BuildEvent).Action === 'string') {
      return v as BuildEvent;
    }
  } catch {
    // Not JSON: plain output that starts with "{".
  }
  return undefined;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

// file:line:col: message / file:line: message. The file part may contain ':' (a directory
// named "x:y") but not ': ', go's separator, so "package a: x.go:3: ..." is no position.
const POSITION = /^([^\s:](?:[^:]|:(?! ))*?):(\d+)(?::(\d+))?: (.*)$/;
// A test binary's package is headed `# x [x.test]` (go test).
const HEADER = /^# (\S+)(?: \[\S+\])?$/;

interface Draft {
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
  message: string;
  importPath: string | undefined;
}

function parseLines(lines: readonly OutputLine[], cwd: string): Diagnostic[] {
  const out: Draft[] = [];
  // The last diagnostic per -json package (text mode: one stream, key ''), so
  // continuation lines attach to the right message.
  const last = new Map<string, Draft>();
  // `# importpath` header in effect, per stream key like `last`.
  const header = new Map<string, string>();
  for (const { text, importPath } of lines) {
    if (text.trim() === '') continue;
    const key = importPath ?? '';
    const h = HEADER.exec(text);
    if (h !== null) {
      header.set(key, h[1]!);
      last.delete(key);
      continue;
    }
    const prev = last.get(key);
    if (text.startsWith('\t') && prev !== undefined) {
      prev.message += `\n${text}`;
      continue;
    }
    if (text.startsWith('go: ')) header.delete(key);
    const d = parseLine(text.startsWith('\t') ? text.trim() : text, cwd);
    d.importPath = importPath ?? header.get(key);
    out.push(d);
    last.set(key, d);
  }
  return out.map((d) => Object.freeze({ ...d }));
}

/** A diagnostic without a position (go command errors, "too many errors" ...). */
export function messageOnly(message: string, importPath?: string): Diagnostic {
  return { file: undefined, line: undefined, column: undefined, message, importPath };
}

function parseLine(text: string, cwd: string): Draft {
  const m = POSITION.exec(text);
  if (m === null) return messageOnly(text);
  const [, file, line, column, message] = m as unknown as [
    string,
    string,
    string,
    string | undefined,
    string,
  ];
  // "too many errors" repeats the last error's position; it is not an error of its own.
  if (message === 'too many errors') return messageOnly(message);
  // <autogenerated>:1: and friends name no file on disk.
  if (file.startsWith('<')) return messageOnly(text);
  return {
    file: isAbsolute(file) ? file : resolve(cwd, file),
    line: Number(line),
    column: column === undefined ? undefined : Number(column),
    message,
    importPath: undefined,
  };
}
