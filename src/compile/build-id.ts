import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { errnoCode, GohotError } from '../errors.js';
import { type ElfBuildIdScan, type ReadAt, scanElfBuildId } from './build-id-elf.js';
import type { BinaryIdentity } from './swap.js';

/**
 * The Go build ID of a binary, split. For an executable the go command writes
 * `actionID(binary)/actionID(main.a)/contentID(main.a)/contentID(binary)`; only the last
 * part is a hash of the binary's content (docs/facts.md#build-ids).
 */
export interface BuildId {
  /** The first part: the hash of the inputs of the action that made the file. */
  readonly actionId: string;
  /** The last part: the hash of the file's content with the build ID itself left out. */
  readonly contentId: string;
  /** The whole ID as stored, e.g. `aaa/bbb/ccc/ddd`. */
  readonly raw: string;
}

/** One part of an ID the go command computed: 120 bits of a hash in URL-safe base64. */
const HASH_PART = /^[A-Za-z0-9_-]{20}$/;
const HINT =
  'gohot restarts the app after every successful build while it cannot compare build IDs.';

/**
 * Splits a build ID into its action and content IDs. Accepts what the go command writes:
 * 2 parts (`actionID/contentID`, packages) or 4 (executables), each a 20-character hash.
 * Anything else (`-ldflags=-buildid=v1` sets one fixed part) would make every build look
 * identical, so it throws BUILD_ID_UNREADABLE instead.
 */
export function parseBuildId(raw: string, file: string): BuildId {
  const parts = raw.split('/');
  if ((parts.length === 2 || parts.length === 4) && parts.every((p) => HASH_PART.test(p))) {
    return { actionId: parts[0]!, contentId: parts.at(-1)!, raw };
  }
  const shown = raw.length > 100 ? `${raw.slice(0, 100)}...` : raw;
  throw new GohotError(
    'BUILD_ID_UNREADABLE',
    `${file} has the build ID "${shown}", which the go command did not compute (it writes 2 or 4 hashes of 20 characters separated by "/").`,
    `Was it set with -ldflags=-buildid=...? Leave that out of build.ldflags. ${HINT}`,
  );
}

/**
 * Reads the Go build ID of the ELF binary at `file`: the ELF header, one header table and
 * the note, never the whole file. Throws BUILD_ID_UNREADABLE when the file cannot be read,
 * is not ELF (Mach-O and PE are not read: gohot runs on Linux), is cut short, or holds no
 * build ID the go command computed.
 */
export function readBuildId(file: string): BuildId {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw unreadable(file, err);
  }
  try {
    const size = fstatSync(fd).size;
    const read: ReadAt = (offset, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < buffer.length) {
        const n = readSync(fd, buffer, done, buffer.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      return buffer.subarray(0, done);
    };
    const scan = scanElfBuildId(read, size);
    if (scan.kind === 'found') return parseBuildId(scan.id, file);
    throw new GohotError('BUILD_ID_UNREADABLE', scanProblem(file, scan), HINT);
  } catch (err) {
    if (err instanceof GohotError) throw err;
    throw unreadable(file, err);
  } finally {
    closeSync(fd);
  }
}

/** {@link readBuildId} as a value: the content ID, or why it could not be read. */
export function identifyBinary(file: string): BinaryIdentity {
  try {
    return { known: true, contentId: readBuildId(file).contentId };
  } catch (err) {
    if (!(err instanceof GohotError)) throw err;
    return { known: false, problem: { code: err.code, message: err.message, hint: err.hint } };
  }
}

function unreadable(file: string, err: unknown): GohotError {
  const code = errnoCode(err) ?? (err instanceof Error ? err.message : String(err));
  return new GohotError(
    'BUILD_ID_UNREADABLE',
    `The build ID of ${file} could not be read (${code}).`,
    HINT,
    { cause: err },
  );
}

/** The sentence for a scan that found no build ID. */
function scanProblem(file: string, scan: Exclude<ElfBuildIdScan, { kind: 'found' }>): string {
  const onlyElf =
    'gohot reads build IDs from ELF binaries (Linux) only, not Mach-O (macOS) or PE (Windows)';
  switch (scan.kind) {
    case 'not-elf':
      switch (scan.format) {
        case 'empty':
          return `${file} is empty, not an ELF binary.`;
        case 'mach-o':
          return `${file} is a Mach-O binary: ${onlyElf}.`;
        case 'pe':
          return `${file} is a PE (Windows) binary: ${onlyElf}.`;
        default:
          return `${file} is not an ELF binary: it starts with ${describeHead(scan.head)}${scan.format === 'script' ? ' (a script)' : ''}; ${onlyElf}.`;
      }
    case 'truncated':
      return `${file} is cut short: it has ${scan.size} bytes, but its ${scan.what} would end at byte ${scan.needed}.`;
    case 'malformed':
      return `${file} is not a valid ELF file: ${scan.detail}.`;
    case 'no-go-note': {
      const among = scan.notes > 0 ? ` among its ${scan.notes} notes` : '';
      return `${file} is an ELF binary without a Go build ID (no note "Go" of type 4${among}): it was not linked by the go command, was linked with -ldflags=-buildid=, or the note was stripped (objcopy --remove-section .note.go.buildid).`;
    }
  }
}

/** `7f 45 4c 46 ... ("\x7fELF")`: the first bytes in hex, and as text where printable. */
function describeHead(head: Uint8Array): string {
  const bytes = [...head.subarray(0, 8)];
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `${hex} ("${text}")`;
}
