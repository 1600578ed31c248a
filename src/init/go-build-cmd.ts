/**
 * Reads the words of a `go build` (or `go run`) command line, as air's `build.cmd` writes
 * them, into what gohot.json has a key for. Only the go command's own flag syntax is
 * read (`-flag value`, `-flag=value`, `--flag`); go build's flags are listed in
 * `go help build` (docs/facts.md#go-build-flags).
 */

/** go build flags that take a value (`go help build`). */
const VALUE_FLAGS = new Set([
  'o',
  'C',
  'p',
  'asmflags',
  'buildmode',
  'compiler',
  'gccgoflags',
  'gcflags',
  'installsuffix',
  'ldflags',
  'mod',
  'modfile',
  'overlay',
  'pgo',
  'pkgdir',
  'tags',
  'toolexec',
  'covermode',
  'coverpkg',
  'exec',
]);

/** Flags that only change what go build prints: gohot reports the build itself. */
const OUTPUT_FLAGS = new Set(['v', 'x', 'work', 'json', 'n']);

/** What one `go build` command line means in gohot's terms. */
export interface GoBuildCommand {
  /** `build` or `run`. */
  readonly verb: 'build' | 'run';
  /** The package argument(s): directories, import paths or .go files. */
  readonly packages: readonly string[];
  /** The `-o` value, when given. */
  readonly output: string | undefined;
  readonly tags: readonly string[] | undefined;
  readonly ldflags: string | undefined;
  /** `-buildvcs` as written (`-buildvcs` alone is true). */
  readonly buildvcs: boolean | undefined;
  /** Every other flag, as one `-name=value` word each (the form build.flags keeps). */
  readonly flags: readonly string[];
  /** Flags gohot does not pass on (-v, -x, -C ...), as written. */
  readonly dropped: readonly string[];
  /** Arguments after the package of `go run`: they are the app's. */
  readonly runArgs: readonly string[];
}

/**
 * Parses `words` when they are `go build ...` or `go run ...` (with `go` possibly a path
 * such as `/usr/local/go/bin/go`); undefined for any other command.
 */
export function parseGoBuild(words: readonly string[]): GoBuildCommand | undefined {
  const [go, verb, ...rest] = words;
  if (go === undefined || !/(^|\/)go(\.exe)?$/.test(go)) return undefined;
  if (verb !== 'build' && verb !== 'run') return undefined;
  const flags: string[] = [];
  const dropped: string[] = [];
  const packages: string[] = [];
  let output: string | undefined;
  let tags: string[] | undefined;
  let ldflags: string | undefined;
  let buildvcs: boolean | undefined;
  let i = 0;
  for (; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '--') {
      i++;
      break;
    }
    if (!word.startsWith('-') || word === '-') break;
    const body = word.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    let value: string | undefined = eq === -1 ? undefined : body.slice(eq + 1);
    if (value === undefined && VALUE_FLAGS.has(name)) {
      value = rest[i + 1] ?? '';
      i++;
    }
    if (name === 'o') output = value;
    else if (name === 'tags') {
      tags = (value ?? '')
        .split(/[,\s]+/)
        .map((t) => t.trim())
        .filter(Boolean);
    } else if (name === 'ldflags') ldflags = value;
    else if (name === 'buildvcs') buildvcs = value === undefined || value === 'true';
    else if (OUTPUT_FLAGS.has(name) || name === 'C') {
      dropped.push(value === undefined ? word : `-${name}=${value}`);
    } else flags.push(value === undefined ? `-${name}` : `-${name}=${value}`);
  }
  const after = rest.slice(i);
  if (verb === 'run') {
    // go run takes its package (or .go files) and then the program's arguments.
    const files = after.filter(
      (w, k) => w.endsWith('.go') && after.slice(0, k).every((p) => p.endsWith('.go')),
    );
    const pkgCount = files.length > 0 ? files.length : after.length > 0 ? 1 : 0;
    packages.push(...after.slice(0, pkgCount));
    return {
      verb,
      packages,
      output,
      tags,
      ldflags,
      buildvcs,
      flags,
      dropped,
      runArgs: after.slice(pkgCount),
    };
  }
  packages.push(...after);
  return { verb, packages, output, tags, ldflags, buildvcs, flags, dropped, runArgs: [] };
}
