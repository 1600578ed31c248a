/**
 * Every error code gohot uses, each with what it means in one line. The codes are stable:
 * tests and tools match on them, never on the English message. docs/error-codes.md lists
 * the same table for readers outside the code (a unit test keeps the two equal).
 */
export const ERROR_CODES = {
  // Command line and environment
  CLI_USAGE: 'The command line has an unknown flag, a bad flag value or too many arguments.',
  CLI_UNKNOWN_COMMAND:
    'The first word is neither a gohot command nor a package path (write ./x for a directory).',
  CLI_PLANNED_COMMAND:
    'The command is reserved for a later version of gohot and not available yet.',
  ENV_INVALID: 'An environment variable gohot reads (GOHOT_POLL) has a value it does not accept.',
  ENV_FILE_INVALID:
    'An env file named by run.envFile or build.envFile is missing, unreadable or malformed.',
  DURATION_INVALID: 'A duration has no unit or is out of range (write 0, 250ms, 1.5s, 2m).',
  // Configuration file
  CONFIG_SYNTAX: 'The configuration file is not valid JSON.',
  CONFIG_INVALID: 'The configuration file has a value of the wrong type or out of range.',
  CONFIG_UNKNOWN_KEY: 'The configuration file has a key gohot does not know.',
  CONFIG_READ: 'The configuration file exists but could not be read or reloaded.',
  CONFIG_NOT_A_FILE:
    'The configuration path is not a regular file (a FIFO, directory, device or socket).',
  CONFIG_TOO_LARGE: 'The configuration file is larger than gohot reads.',
  CONFIG_TOO_DEEP: 'The configuration nests deeper than gohot reads.',
  // Go toolchain and project
  CWD_NOT_FOUND: 'The project directory does not exist or is not a directory.',
  GO_NOT_FOUND: 'There is no go executable on PATH, or GOHOT_GO names a missing file.',
  GO_NOT_RUNNABLE: 'The go executable exists but could not be started.',
  GO_CANCELLED: 'A go command (go env, go list) was cancelled, for example by Ctrl-C.',
  GO_VERSION_UNKNOWN: 'The go command reported a version gohot cannot read.',
  GO_TOO_OLD: 'The Go toolchain is older than the oldest version gohot supports.',
  GO_ENV_FAILED: '`go env` failed in the project directory.',
  GO_MOD_INVALID: 'go.mod or go.work could not be read by `go mod edit` / `go work edit`.',
  GO_LIST_FAILED:
    '`go list` could not run or printed no package (often a broken go.mod or go.work).',
  GO_OUTPUT_INVALID: 'The go command printed JSON output gohot cannot read.',
  BUILD_ID_UNREADABLE:
    'The Go build ID of a built binary could not be read, so it cannot be compared.',
  NO_GO_MOD: 'There is no go.mod (or go.work) in the directory or any of its parents.',
  NOT_A_MODULE: 'Go runs in GOPATH mode here (e.g. GO111MODULE=off), and gohot needs Go modules.',
  // Main package
  NO_MAIN_PACKAGE: 'The project has no main package to build and run.',
  MAIN_AMBIGUOUS: 'The project has several main packages and none was named.',
  MAIN_NOT_FOUND: 'The requested main package does not exist or matches several packages.',
  NOT_MAIN_PACKAGE: 'The requested package is not package main, so it cannot be run.',
  // Watching
  WATCH_ROOT_MISSING: 'A directory to watch does not exist or cannot be read.',
  WATCH_ROOT_NOT_DIR: 'A path to watch is not a directory.',
  INOTIFY_WATCH_LIMIT: 'The inotify watch limit (fs.inotify.max_user_watches) is reached.',
  INOTIFY_INSTANCE_LIMIT: 'The inotify instance limit (fs.inotify.max_user_instances) is reached.',
  FD_LIMIT: 'The process or the system ran out of file descriptors (ulimit -n, fs.file-max).',
  // Running the app
  RUN_BINARY_NOT_FOUND: 'The program to run does not exist (or a bare name is not on PATH).',
  RUN_BINARY_NOT_EXECUTABLE: 'The program to run is not an executable regular file.',
  RUN_CWD_NOT_FOUND: "The app's working directory does not exist or is not a directory.",
  RUN_SPAWN_FAILED: 'The system refused to start the app.',
  RUN_ALREADY_RUNNING: 'A new app was started while the previous one was still running.',
  RUN_UNKILLABLE: "The app's process group is still alive after SIGKILL.",
  RUN_LISTEN_FAILED:
    'run.listen could not be set up: an address in use or not of this machine, or no /bin/sh.',
  // Browser live-reload proxy
  PROXY_LISTEN_FAILED:
    'The proxy could not listen on its address (in use, or not an address of this machine).',
  // Session
  STARTUP_ABORTED: 'gohot was stopped (Ctrl-C, SIGTERM) while it was starting.',
  STATE_DIR_UNUSABLE: 'gohot cannot create its private state directory anywhere.',
  STATE_DIR_UNSAFE: 'the private state directory exists but is not private to this user.',
  // Control socket (gohot inspect)
  CONTROL_SOCKET_UNSAFE:
    'The control socket path is taken by a file that is not a socket, or by another user.',
  CONTROL_SOCKET_UNUSABLE: 'gohot cannot listen on its control socket (path too long, in use).',
  CONTROL_REQUEST_FAILED: 'A running gohot did not answer a request on its control socket.',
  // gohot init
  INIT_CONFIG_EXISTS: 'gohot init would overwrite an existing gohot.json (use --force).',
  INIT_WRITE_FAILED: 'gohot init could not write gohot.json.',
  AIR_CONFIG_MISSING: 'The .air.toml to convert does not exist.',
  AIR_TOML_SYNTAX: 'The .air.toml to convert is not valid TOML.',
  AIR_NOT_AIR_CONFIG: 'The file to convert has no key air reads: it belongs to another tool.',
  // Trace
  TRACE_FILE_UNSAFE:
    'The --trace path is a symlink, not a regular file, or belongs to another user.',
  TRACE_FILE_UNUSABLE:
    'The --trace file cannot be created or written (a missing directory, no permission).',
} as const;

/** A stable error code: one key of {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `value` is one of gohot's error codes. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}

/**
 * The one error class of gohot. `code` is stable (tests and tooling match on it), `message`
 * describes the user's situation in a full sentence and `hint` says what to do about it.
 *
 * @example
 * throw new GohotError(
 *   'GO_NOT_FOUND',
 *   'The Go toolchain was not found: there is no `go` executable on PATH.',
 *   'Install Go from https://go.dev/dl/, or point GOHOT_GO at the go binary.',
 * );
 */
export class GohotError extends Error {
  /** Stable machine-readable code, e.g. `GO_NOT_FOUND`, `CONFIG_INVALID`. */
  readonly code: ErrorCode;
  /** What the user can do to fix it; printed under the message. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GohotError';
    this.code = code;
    this.hint = hint;
  }
}

/** True when `err` is a GohotError, optionally with the given code. */
export function isGohotError(err: unknown, code?: ErrorCode): err is GohotError {
  return err instanceof GohotError && (code === undefined || err.code === code);
}

/** The errno code of a Node system error (`ENOENT`, `ENOSPC` ...), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
