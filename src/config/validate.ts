import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { durationToMs, MAX_DURATION_MS } from '../duration.js';
import {
  checkBuildFlag,
  joinQuotedFields,
  KEYED_BUILD_FLAGS,
  keyedBuildFlag,
  splitQuotedFields,
} from './build-flags.js';
import { type ConfigIssue, childKeyPath } from './config-issues.js';
import { checkPattern, checkPatternList } from './patterns.js';
import { quote } from './quote.js';
import { checkReadyValue, READY_CHECK_KEYS, type ReadyValueKind } from './ready.js';
import { didYouMean } from './suggest.js';
import { createLineIndex, type LineIndex } from './text-position.js';
import { type ConfigFile, STOP_SIGNALS } from './types.js';

/** Watcher backends `watch.poll` accepts as strings. */
export const POLL_CHOICES = ['auto', 'native', 'poll'] as const;

/** What `watch.lineShifts` accepts. */
export const LINE_SHIFT_CHOICES = ['rebuild', 'ignore'] as const;

/** What the validator accepts for one key. The schema test walks this next to the schema. */
export type FieldSpec =
  | {
      readonly kind: 'section';
      readonly fields: Readonly<Record<string, FieldSpec>>;
      /** Exactly one of these keys must be set. @default no such rule */
      readonly exactlyOne?: readonly string[];
    }
  /** A string `checkReadyValue` accepts (a URL, a host:port, a regular expression). */
  | { readonly kind: ReadyValueKind }
  | { readonly kind: 'string'; readonly nonEmpty: boolean; readonly example: string }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'stringList'; readonly example: readonly string[] }
  | { readonly kind: 'buildFlags'; readonly example: readonly string[] }
  | { readonly kind: 'env' }
  | { readonly kind: 'duration'; readonly positive: boolean }
  | { readonly kind: 'signal' }
  | { readonly kind: 'poll' }
  /** `optional`: may be empty and hold only excludes (a list that adds to other rules). */
  | { readonly kind: 'patterns'; readonly optional?: boolean }
  | { readonly kind: 'choice'; readonly choices: readonly string[] }
  /** A command as an argument array: at least the program, never a shell string. */
  | { readonly kind: 'argv'; readonly example: readonly string[] }
  /** go build's -toolexec: a command line as go splits it, or an argument array. */
  | { readonly kind: 'toolexec' }
  /** One command (an argument array) or a list of them. */
  | { readonly kind: 'commands'; readonly example: readonly string[] }
  /** One path or a list of them (relative to the module root). */
  | { readonly kind: 'pathList'; readonly example: string }
  /** An ordered list of objects of the given fields; `required` ones must be set. */
  | {
      readonly kind: 'list';
      readonly fields: Readonly<Record<string, FieldSpec>>;
      readonly required: readonly string[];
    };

/** The fields of one entry of `rules`. */
export const RULE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  name: { kind: 'string', nonEmpty: true, example: 'templ' },
  on: { kind: 'patterns' },
  run: { kind: 'argv', example: ['templ', 'generate'] },
  cwd: { kind: 'string', nonEmpty: true, example: './web' },
  env: { kind: 'env' },
  timeout: { kind: 'duration', positive: true },
};

/** Every key of gohot.json. `$schema` is accepted but not advertised in error messages. */
export const CONFIG_SPEC: FieldSpec = {
  kind: 'section',
  fields: {
    $schema: {
      kind: 'string',
      nonEmpty: false,
      example: './node_modules/gohot/schema/gohot.schema.json',
    },
    main: { kind: 'string', nonEmpty: true, example: './cmd/api' },
    build: {
      kind: 'section',
      fields: {
        flags: { kind: 'buildFlags', example: ['-race'] },
        tags: { kind: 'stringList', example: ['dev'] },
        ldflags: { kind: 'string', nonEmpty: false, example: '-X main.version=dev' },
        env: { kind: 'env' },
        buildvcs: { kind: 'boolean' },
        debug: { kind: 'boolean' },
        toolexec: { kind: 'toolexec' },
        gcflags: { kind: 'string', nonEmpty: false, example: 'all=-N -l' },
        asmflags: { kind: 'string', nonEmpty: false, example: 'all=-trimpath=/src' },
        trimpath: { kind: 'boolean' },
        race: { kind: 'boolean' },
        cover: { kind: 'boolean' },
        envFile: { kind: 'pathList', example: '.env.build' },
      },
    },
    run: {
      kind: 'section',
      fields: {
        args: { kind: 'stringList', example: ['--port', '8080'] },
        env: { kind: 'env' },
        envFile: { kind: 'pathList', example: '.env' },
        stopSignal: { kind: 'signal' },
        stopTimeout: { kind: 'duration', positive: false },
        listen: { kind: 'stringList', example: ['127.0.0.1:8080'] },
        ready: {
          kind: 'section',
          exactlyOne: READY_CHECK_KEYS,
          fields: {
            http: { kind: 'httpUrl' },
            tcp: { kind: 'hostPort' },
            log: { kind: 'regexp' },
            timeout: { kind: 'duration', positive: true },
          },
        },
      },
    },
    watch: {
      kind: 'section',
      fields: {
        patterns: { kind: 'patterns' },
        quietWindow: { kind: 'duration', positive: false },
        leadingEdge: { kind: 'boolean' },
        poll: { kind: 'poll' },
        pollInterval: { kind: 'duration', positive: true },
        restartOnly: { kind: 'patterns', optional: true },
        lineShifts: { kind: 'choice', choices: LINE_SHIFT_CHOICES },
      },
    },
    rules: { kind: 'list', fields: RULE_FIELDS, required: ['name', 'on', 'run'] },
    hooks: {
      kind: 'section',
      fields: {
        beforeBuild: { kind: 'commands', example: ['go', 'generate', './...'] },
        afterBuild: { kind: 'commands', example: ['./scripts/copy-assets'] },
        beforeStart: { kind: 'commands', example: ['./bin/migrate', 'up'] },
        timeout: { kind: 'duration', positive: true },
      },
    },
    proxy: {
      kind: 'section',
      fields: {
        listen: { kind: 'string', nonEmpty: true, example: '127.0.0.1:3000' },
        target: { kind: 'string', nonEmpty: true, example: 'http://127.0.0.1:8080' },
        holdTimeout: { kind: 'duration', positive: true },
        editorUrl: { kind: 'string', nonEmpty: true, example: 'vscode://file/{abs}:{line}:{col}' },
        reloadOnly: { kind: 'patterns', optional: true },
      },
    },
  },
};

const HIDDEN_KEYS = new Set(['$schema']);
const DURATION_RE = /^(0|\d+(\.\d+)?(ms|s|m))$/;
/** The outcome of validating a parsed file: the typed value (only usable without issues). */
export interface ConfigValidation {
  readonly file: ConfigFile;
  readonly issues: readonly ConfigIssue[];
}

/**
 * Validates a gohot.json syntax tree against {@link CONFIG_SPEC}, collecting every problem
 * (not just the first) with the position of the node it concerns.
 */
export function validateConfigTree(root: Node, text: string): ConfigValidation {
  const ctx = new Walk(text);
  const file = ctx.value(root, CONFIG_SPEC, '') as ConfigFile;
  if (file !== undefined) ctx.keyedFlags(root, file);
  return { file: file ?? {}, issues: ctx.sorted() };
}

/**
 * Validates one pattern list node found elsewhere (codebuddy.json's `go.watch.patterns`),
 * with the same rules as `watch.patterns`.
 */
export function validatePatternsTree(
  node: Node,
  text: string,
  keyPath: string,
): { readonly patterns: readonly string[]; readonly issues: readonly ConfigIssue[] } {
  const ctx = new Walk(text);
  const patterns = ctx.value(node, { kind: 'patterns' }, keyPath) as string[] | undefined;
  return { patterns: patterns ?? [], issues: ctx.sorted() };
}

/** Every key path the validator accepts, e.g. `build`, `build.flags`; for the schema test. */
export function acceptedKeyPaths(spec: FieldSpec = CONFIG_SPEC, prefix = ''): string[] {
  if (spec.kind !== 'section') return [];
  return Object.entries(spec.fields).flatMap(([key, child]) => {
    const keyPath = prefix === '' ? key : `${prefix}.${key}`;
    return [keyPath, ...acceptedKeyPaths(child, keyPath)];
  });
}

const ACCEPTED_KEY_PATHS: readonly string[] = acceptedKeyPaths();

class Walk {
  readonly #text: string;
  readonly #issues: { offset: number; issue: ConfigIssue }[] = [];
  // Built on the first issue: a valid file never pays for it.
  #lines: LineIndex | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  #positionAt(offset: number) {
    this.#lines ??= createLineIndex(this.#text);
    return this.#lines.positionAt(offset);
  }

  sorted(): ConfigIssue[] {
    return [...this.#issues].sort((a, b) => a.offset - b.offset).map((x) => x.issue);
  }

  value(node: Node, spec: FieldSpec, keyPath: string): unknown {
    switch (spec.kind) {
      case 'section': {
        const out = this.#section(node, spec.fields, keyPath);
        if (spec.exactlyOne !== undefined && node.type === 'object') {
          this.#exactlyOne(node, keyPath, spec.exactlyOne);
        }
        return out;
      }
      case 'httpUrl':
      case 'hostPort':
      case 'regexp': {
        if (node.type !== 'string') return this.#wrong(node, keyPath, 'a string');
        const problem = checkReadyValue(spec.kind, node.value as string);
        return problem === undefined
          ? this.#withoutNul(node, keyPath)
          : this.#wrong(node, keyPath, problem);
      }
      case 'string': {
        const expected = spec.nonEmpty
          ? `a non-empty string, e.g. ${JSON.stringify(spec.example)}`
          : 'a string';
        if (node.type !== 'string' || (spec.nonEmpty && node.value === '')) {
          return this.#wrong(node, keyPath, expected);
        }
        return this.#withoutNul(node, keyPath);
      }
      case 'boolean':
        if (node.type !== 'boolean') return this.#wrong(node, keyPath, 'true or false');
        return node.value as boolean;
      case 'stringList':
      case 'buildFlags':
        return this.#stringList(
          node,
          keyPath,
          `an array of strings, e.g. ${JSON.stringify(spec.example)}`,
          spec.kind === 'buildFlags',
        );
      case 'env':
        return this.#env(node, keyPath);
      case 'duration':
        return this.#duration(node, keyPath, spec.positive);
      case 'signal':
        return this.#signal(node, keyPath);
      case 'poll':
        if (node.type === 'boolean') return node.value as boolean;
        if (node.type === 'string' && (POLL_CHOICES as readonly string[]).includes(node.value)) {
          return node.value as string;
        }
        return this.#wrong(node, keyPath, 'true, false, "auto", "native" or "poll"');
      case 'patterns':
        return this.#patterns(node, keyPath, spec.optional === true);
      case 'argv':
        return this.#argv(node, keyPath, spec.example);
      case 'commands':
        return this.#commands(node, keyPath, spec.example);
      case 'toolexec':
        return this.#toolexec(node, keyPath);
      case 'pathList':
        return this.#pathList(node, keyPath, spec.example);
      case 'list':
        return this.#list(node, keyPath, spec.fields, spec.required);
      case 'choice': {
        if (node.type === 'string' && spec.choices.includes(node.value))
          return node.value as string;
        const expected = spec.choices.map((c) => `"${c}"`).join(' or ');
        const guess =
          node.type === 'string' ? didYouMean(node.value as string, spec.choices) : undefined;
        return this.#wrong(node, keyPath, expected, guess ? ` (did you mean "${guess}"?)` : '');
      }
    }
  }

  #section(node: Node, fields: Readonly<Record<string, FieldSpec>>, keyPath: string): unknown {
    if (node.type !== 'object') {
      return this.#wrong(node, keyPath === '' ? 'the file' : keyPath, 'an object');
    }
    const out: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    const known = Object.keys(fields);
    const advertised = known.filter((k) => !HIDDEN_KEYS.has(k));
    for (const prop of node.children ?? []) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (!keyNode || !valueNode) continue;
      const key = keyNode.value as string;
      const childPath = childKeyPath(keyPath, key);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        const at = this.#positionAt(earlier);
        this.#add(
          keyNode,
          childPath,
          'CONFIG_INVALID',
          `duplicate key ${quote(key)}; it is already set at line ${at.line}`,
        );
        continue;
      }
      seen.set(key, keyNode.offset);
      const spec = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (spec === undefined) {
        const where = keyPath === '' ? 'the top level' : `"${keyPath}"`;
        this.#add(
          keyNode,
          childPath,
          'CONFIG_UNKNOWN_KEY',
          `unknown key ${quote(key)} in ${where}; expected one of ${advertised.join(', ')}${unknownKeyHint(key, advertised, keyPath)}`,
        );
        continue;
      }
      const value = this.value(valueNode, spec, childPath);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  #exactlyOne(node: Node, keyPath: string, keys: readonly string[]): void {
    const set = (node.children ?? [])
      .map((prop) => prop.children?.[0]?.value as string | undefined)
      .filter((key): key is string => key !== undefined && keys.includes(key));
    if (set.length === 1) return;
    const names = keys.map((k) => `"${k}"`).join(', ');
    const got = set.length === 0 ? 'none' : set.map((k) => `"${k}"`).join(' and ');
    this.#add(
      node,
      keyPath,
      'CONFIG_INVALID',
      `${keyPath} must set exactly one of ${names}, but got ${got}`,
    );
  }

  /** Refuses a flag in build.flags whose own key is set too (one spelling per setting). */
  keyedFlags(root: Node, file: ConfigFile): void {
    const build = file.build as Record<string, unknown> | undefined;
    const flagsNode = findNodeAtLocation(root, ['build', 'flags']);
    if (build === undefined || flagsNode?.type !== 'array') return;
    for (const [i, item] of (flagsNode.children ?? []).entries()) {
      if (item.type !== 'string') continue;
      const keyed = keyedBuildFlag(item.value as string);
      if (keyed === undefined || build[keyed] === undefined) continue;
      const itemPath = `build.flags[${i}]`;
      this.#add(
        item,
        itemPath,
        'CONFIG_INVALID',
        `${itemPath} ${quote(item.value)} sets -${keyed}, which "${KEYED_BUILD_FLAGS[keyed]}" sets too; keep one of the two`,
      );
    }
  }

  #argv(node: Node, keyPath: string, example: readonly string[]): string[] | undefined {
    const expected = `an array of strings, the program first, e.g. ${JSON.stringify(example)} (a shell command is ["sh", "-c", "..."])`;
    if (node.type !== 'array' || (node.children ?? []).length === 0) {
      return this.#wrong(node, keyPath, expected);
    }
    const argv = this.#stringList(node, keyPath, expected, false);
    if (argv !== undefined && argv[0] === '') {
      return this.#wrong(node.children![0]!, `${keyPath}[0]`, 'a non-empty program name');
    }
    return argv;
  }

  #commands(node: Node, keyPath: string, example: readonly string[]): unknown {
    if (node.type === 'array' && (node.children ?? []).length === 0) return [];
    const nested = node.type === 'array' && node.children?.[0]?.type === 'array';
    if (!nested) return this.#argv(node, keyPath, example);
    const out: string[][] = [];
    for (const [i, item] of (node.children ?? []).entries()) {
      const argv = this.#argv(item, `${keyPath}[${i}]`, example);
      if (argv !== undefined) out.push(argv);
    }
    return out;
  }

  #toolexec(node: Node, keyPath: string): string | string[] | undefined {
    if (node.type === 'string') {
      const text = this.#withoutNul(node, keyPath);
      if (text === undefined) return undefined;
      if (splitQuotedFields(text).length === 0) {
        return this.#wrong(node, keyPath, 'a non-empty command, e.g. "/usr/bin/time -a"');
      }
      return text;
    }
    const argv = this.#argv(node, keyPath, ['toolexec-log', '--to', 'log.txt']);
    if (argv !== undefined && joinQuotedFields(argv) === undefined) {
      return this.#wrong(
        node,
        keyPath,
        'arguments go can pass to -toolexec (none with both \' and ")',
      );
    }
    return argv;
  }

  #pathList(node: Node, keyPath: string, example: string): string | string[] | undefined {
    const expected = `a path or an array of paths, e.g. ${JSON.stringify(example)}`;
    if (node.type === 'string') {
      if (node.value === '') return this.#wrong(node, keyPath, expected);
      return this.#withoutNul(node, keyPath);
    }
    if (node.type !== 'array') return this.#wrong(node, keyPath, expected);
    const list = this.#stringList(node, keyPath, expected, false);
    if (list?.includes('')) return this.#wrong(node, keyPath, `${expected}, none empty`);
    return list;
  }

  #list(
    node: Node,
    keyPath: string,
    fields: Readonly<Record<string, FieldSpec>>,
    required: readonly string[],
  ): unknown[] | undefined {
    if (node.type !== 'array') return this.#wrong(node, keyPath, 'an array of objects');
    const out: unknown[] = [];
    const names = new Map<string, number>();
    for (const [i, item] of (node.children ?? []).entries()) {
      const itemPath = `${keyPath}[${i}]`;
      const value = this.#section(item, fields, itemPath) as Record<string, unknown> | undefined;
      if (value === undefined) continue;
      const keys = new Set(
        (item.children ?? []).map((prop) => prop.children?.[0]?.value as string | undefined),
      );
      const missing = required.filter((k) => !keys.has(k));
      if (missing.length > 0) {
        this.#add(
          item,
          itemPath,
          'CONFIG_INVALID',
          `${itemPath} is missing ${missing.map((k) => quote(k)).join(', ')}; each entry needs ${required.map((k) => quote(k)).join(', ')}`,
        );
        continue;
      }
      const name = value.name;
      if (typeof name === 'string') {
        const earlier = names.get(name);
        if (earlier !== undefined) {
          this.#add(
            item,
            `${itemPath}.name`,
            'CONFIG_INVALID',
            `${itemPath}.name ${quote(name)} is already the name of ${keyPath}[${earlier}]; names must be unique`,
          );
          continue;
        }
        names.set(name, i);
      }
      if (required.every((k) => value[k] !== undefined)) out.push(value);
    }
    return out;
  }

  #stringList(
    node: Node,
    keyPath: string,
    expected: string,
    buildFlags: boolean,
  ): string[] | undefined {
    if (node.type !== 'array') return this.#wrong(node, keyPath, expected);
    const out: string[] = [];
    for (const [i, item] of (node.children ?? []).entries()) {
      const itemPath = `${keyPath}[${i}]`;
      const value = item.type === 'string' ? this.#withoutNul(item, itemPath) : undefined;
      if (item.type !== 'string') this.#wrong(item, itemPath, 'a string');
      const owned = buildFlags && value !== undefined ? checkBuildFlag(value, 'file') : undefined;
      if (owned !== undefined) this.#add(item, itemPath, 'CONFIG_INVALID', `${itemPath} ${owned}`);
      else if (value !== undefined) out.push(value);
    }
    return out;
  }

  /** The string value of `node`, or undefined (and an issue) when it holds a NUL. */
  #withoutNul(node: Node, keyPath: string): string | undefined {
    const value = node.value as string;
    // The kernel ends every argument and environment string at a NUL: Node refuses to
    // spawn with one, and anything after it would be lost.
    if (!value.includes('\0')) return value;
    return this.#wrong(node, keyPath, 'a string without NUL characters ("\\u0000")');
  }

  #env(node: Node, keyPath: string): Record<string, string> | undefined {
    const expected = 'an object of string values, e.g. {"CGO_ENABLED": "0"}';
    if (node.type !== 'object') return this.#wrong(node, keyPath, expected);
    const entries: [string, string][] = [];
    const seen = new Map<string, number>();
    for (const prop of node.children ?? []) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (!keyNode || !valueNode) continue;
      const name = keyNode.value as string;
      const varPath = childKeyPath(keyPath, name);
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        const at = this.#positionAt(earlier);
        this.#add(
          keyNode,
          varPath,
          'CONFIG_INVALID',
          `duplicate variable ${quote(name)}; it is already set at line ${at.line}`,
        );
        continue;
      }
      seen.set(name, keyNode.offset);
      if (name === '' || name.includes('=') || name.includes('\0')) {
        this.#add(
          keyNode,
          varPath,
          'CONFIG_INVALID',
          `${keyPath} has an invalid variable name ${quote(name)}; a name cannot be empty or contain "=" or a NUL character ("\\u0000")`,
        );
        continue;
      }
      if (valueNode.type !== 'string') {
        this.#wrong(valueNode, varPath, 'a string (quote numbers, e.g. "0")');
        continue;
      }
      const value = this.#withoutNul(valueNode, varPath);
      if (value !== undefined) entries.push([name, value]);
    }
    // fromEntries defines own properties, so a "__proto__" key cannot change the prototype.
    return Object.fromEntries(entries);
  }

  #duration(node: Node, keyPath: string, positive: boolean): string | undefined {
    const expected = 'a duration with a unit like "500ms", "3s" or "1m"';
    if (node.type === 'number') {
      return this.#wrong(
        node,
        keyPath,
        expected,
        `; write it as a string with a unit, e.g. "${node.value}ms"`,
      );
    }
    if (node.type !== 'string') return this.#wrong(node, keyPath, expected);
    const text = node.value as string;
    if (!DURATION_RE.test(text)) {
      const bare = /^\d+(\.\d+)?$/.test(text.trim()) ? `; add a unit, e.g. "${text.trim()}ms"` : '';
      return this.#wrong(node, keyPath, expected, bare);
    }
    const ms = durationToMs(text) ?? 0;
    if (positive && ms < 1) {
      return this.#wrong(node, keyPath, 'a duration of at least 1ms, e.g. "500ms"');
    }
    if (ms > MAX_DURATION_MS) {
      return this.#wrong(node, keyPath, 'a duration of at most 24 days, e.g. "10s"');
    }
    return text;
  }

  #signal(node: Node, keyPath: string): string | undefined {
    const expected = `one of ${STOP_SIGNALS.map((s) => `"${s}"`).join(', ')}`;
    if (node.type !== 'string') return this.#wrong(node, keyPath, expected);
    const text = node.value as string;
    if ((STOP_SIGNALS as readonly string[]).includes(text)) return text;
    const upper = text.toUpperCase();
    const prefixed = upper.startsWith('SIG') ? upper : `SIG${upper}`;
    const guess = (STOP_SIGNALS as readonly string[]).includes(prefixed)
      ? prefixed
      : didYouMean(text, STOP_SIGNALS);
    return this.#wrong(node, keyPath, expected, guess ? ` (did you mean "${guess}"?)` : '');
  }

  #patterns(node: Node, keyPath: string, optional = false): string[] | undefined {
    const expected = 'an array of glob strings, e.g. ["**/*.go", "!**/*_test.go"]';
    if (node.type !== 'array') return this.#wrong(node, keyPath, expected);
    const out: string[] = [];
    let itemsOk = true;
    (node.children ?? []).forEach((item, i) => {
      const itemPath = `${keyPath}[${i}]`;
      if (item.type !== 'string') {
        itemsOk = false;
        this.#wrong(item, itemPath, 'a glob string');
        return;
      }
      const problem = checkPattern(item.value as string);
      if (problem) {
        itemsOk = false;
        this.#add(item, itemPath, 'CONFIG_INVALID', `${itemPath} ${quote(item.value)} ${problem}`);
        return;
      }
      out.push(item.value as string);
    });
    const listProblem = itemsOk && !optional ? checkPatternList(out) : undefined;
    if (listProblem) this.#add(node, keyPath, 'CONFIG_INVALID', `${keyPath} ${listProblem}`);
    return out;
  }

  #wrong(node: Node, keyPath: string, expected: string, extra = ''): undefined {
    this.#add(
      node,
      keyPath,
      'CONFIG_INVALID',
      `${keyPath} must be ${expected}, but got ${describe(node, this.#text)}${extra}`,
    );
    return undefined;
  }

  #add(node: Node, keyPath: string, code: ConfigIssue['code'], message: string): void {
    const { line, column } = this.#positionAt(node.offset);
    this.#issues.push({
      offset: node.offset,
      issue: { code, path: keyPath, line, column, message },
    });
  }
}

function unknownKeyHint(key: string, advertised: readonly string[], keyPath: string): string {
  const guess = didYouMean(key, advertised);
  if (guess !== undefined) return ` (did you mean "${guess}"?)`;
  // A known key in the wrong section, e.g. "stopTimeout" at the top level.
  const home = ACCEPTED_KEY_PATHS.find((p) => p.endsWith(`.${key}`) && p !== `${keyPath}.${key}`);
  return home === undefined ? '' : ` (${quote(key)} belongs at ${home})`;
}

function describe(node: Node, text: string): string {
  switch (node.type) {
    case 'string': {
      const value = node.value as string;
      return `the string ${quote(value, 38)}`;
    }
    case 'number':
      return `the number ${text.slice(node.offset, node.offset + node.length)}`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    case 'array':
      return 'an array';
    default:
      return 'an object';
  }
}
