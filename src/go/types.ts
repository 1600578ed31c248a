/** What `go env` says about the project in the working directory. */
export interface GoEnv {
  readonly GOVERSION: string;
  readonly GOMOD: string;
  readonly GOWORK: string;
  readonly GOPATH: string;
  readonly GOFLAGS: string;
  readonly GOROOT: string;
  /** Where downloaded modules live; never editable. */
  readonly GOMODCACHE: string;
  readonly GOOS: string;
  readonly GOARCH: string;
  readonly GOTOOLCHAIN: string;
  readonly GO111MODULE: string;
  readonly CGO_ENABLED: string;
}

/** A Go version as numbers: go1.23.4 -> {major:1, minor:23, patch:4}. */
export interface GoVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The original string, e.g. "go1.23.4". */
  readonly raw: string;
  /** Pre-release suffix such as "rc1" or "beta2"; undefined for releases. */
  readonly prerelease?: string | undefined;
  /** True for a toolchain built from source ("devel go1.25-abcdef ..."). */
  readonly devel?: boolean | undefined;
}

/** The resolved Go project: where it lives and which directories hold its sources. */
export interface ResolvedGoProject {
  /** The `go` executable used for everything. */
  readonly goBin: string;
  readonly env: GoEnv;
  readonly version: GoVersion;
  /** Directory of the main module's go.mod (the directory gohot.json lives in). */
  readonly moduleRoot: string;
  /** Module path from go.mod, e.g. "example.com/hello". */
  readonly modulePath: string;
  /** Absolute path of go.work, when in a workspace. */
  readonly workFile: string | undefined;
  /**
   * Every directory to watch recursively: the module root, go.work `use` directories and
   * local `replace` targets, deduplicated and with nested ones removed.
   */
  readonly watchRoots: readonly string[];
}

/** One main package found in the module. */
export interface MainPackage {
  readonly importPath: string;
  readonly dir: string;
  /** Relative form for the command line, e.g. "./cmd/api" or ".". */
  readonly relPath: string;
}

/** One compiler (or go command) error with its position. */
export interface Diagnostic {
  /** Absolute file path, or undefined for errors without a position. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** 1-based byte column as printed by the compiler. */
  readonly column: number | undefined;
  readonly message: string;
  /** Import path of the failing package when known (from "# pkg" or -json). */
  readonly importPath: string | undefined;
}
