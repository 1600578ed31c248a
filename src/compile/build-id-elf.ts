/**
 * Finding the Go build ID in an ELF file (Linux, and every other ELF platform): the go linker
 * writes it as a note with owner "Go" and type 4, in section `.note.go.buildid` and a
 * `PT_NOTE` segment (docs/facts.md#build-ids). Pure: the bytes come from a {@link ReadAt}, so
 * the file is read only where the headers point (tests pass a buffer). ELF32 and ELF64, both
 * byte orders. Mach-O and PE files are recognised only to say that they are not read.
 */

/**
 * Reads up to `length` bytes at `offset`; returns fewer only at the end of the file.
 * `offset` and `length` are non-negative safe integers.
 */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** Executable formats recognised by their first bytes, besides ELF. */
export type OtherFormat = 'mach-o' | 'pe' | 'script' | 'empty' | 'unknown';

/** The outcome of {@link scanElfBuildId}, as a value: the ID, or why there is none. */
export type ElfBuildIdScan =
  | {
      readonly kind: 'found';
      /** The note's text, e.g. `actionID/actionID/contentID/contentID`; not yet validated. */
      readonly id: string;
      /** Where the note was found: via the program headers (as the go command looks) or the section headers. */
      readonly via: 'segment' | 'section';
    }
  /** Not an ELF file; `head` holds its first bytes (at most 16). */
  | { readonly kind: 'not-elf'; readonly format: OtherFormat; readonly head: Uint8Array }
  /** The file ends before `what`, which needs bytes up to `needed`; the file has `size`. */
  | {
      readonly kind: 'truncated';
      readonly what: 'ELF header' | 'program headers' | 'section headers' | 'note';
      readonly needed: number;
      readonly size: number;
    }
  /** An ELF header with values no ELF file has (an unknown class or byte order, bad sizes). */
  | { readonly kind: 'malformed'; readonly detail: string }
  /** A valid ELF file without a Go build ID note; `notes` counts the notes it does have. */
  | { readonly kind: 'no-go-note'; readonly notes: number };

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
const PT_NOTE = 4;
const SHT_NOTE = 7;
/** `NT_GO_BUILDID` in the go linker (cmd/link/internal/ld/elf.go, `ELF_NOTE_GOBUILDID_TAG`). */
const GO_BUILDID_TYPE = 4;
/** Notes bigger than this are not the Go note's segment (the Go note is ~100 bytes). */
const MAX_NOTE_BYTES = 1 << 20;
/** More header table than any executable has: 64 KiB, the PN_XNUM limit times a small entry. */
const MAX_TABLE_BYTES = 1 << 16;

/** The fields of the ELF header this scan needs, for either class and byte order. */
interface ElfLayout {
  readonly is64: boolean;
  readonly little: boolean;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shoff: number;
  readonly shentsize: number;
  readonly shnum: number;
}

/** A region of the file that may hold notes, with the alignment of its entries. */
interface NoteRegion {
  readonly offset: number;
  readonly size: number;
  readonly align: number;
}

/**
 * Looks for the Go build ID note of an ELF file of `size` bytes: first in the `PT_NOTE`
 * segments (what `go build` itself reads to decide whether a binary is up to date), then in
 * the `SHT_NOTE` sections. Reads the ELF header, one header table and the note regions only.
 */
export function scanElfBuildId(read: ReadAt, size: number): ElfBuildIdScan {
  const ident = read(0, 16);
  const magicBytes = Math.min(ident.length, ELF_MAGIC.length);
  const elfPrefix = ELF_MAGIC.slice(0, magicBytes).every((b, i) => ident[i] === b);
  if (!elfPrefix || ident.length === 0) {
    return { kind: 'not-elf', format: formatOf(ident), head: ident };
  }
  if (ident.length < 16) return { kind: 'truncated', what: 'ELF header', needed: 16, size };

  const layout = readLayout(read, ident, size);
  if ('kind' in layout) return layout;

  const segments = segmentRegions(read, layout, size);
  if ('kind' in segments) return segments;
  const inSegments = findInRegions(read, segments, layout.little, size);
  if (typeof inSegments !== 'number') return withVia(inSegments, 'segment');
  const sections = sectionRegions(read, layout, size);
  if ('kind' in sections) return sections;
  const inSections = findInRegions(read, sections, layout.little, size);
  if (typeof inSections !== 'number') return withVia(inSections, 'section');
  return { kind: 'no-go-note', notes: inSegments + inSections };
}

type Found = { readonly id: string } | Extract<ElfBuildIdScan, { kind: 'truncated' }>;

function withVia(found: Found, via: 'segment' | 'section'): ElfBuildIdScan {
  return 'id' in found ? { kind: 'found', id: found.id, via } : found;
}

/** The Go note's text from the first region that has it, or how many notes they hold. */
function findInRegions(
  read: ReadAt,
  regions: readonly NoteRegion[],
  little: boolean,
  size: number,
): Found | number {
  let notes = 0;
  for (const region of regions) {
    const end = region.offset + region.size;
    if (end > size) return { kind: 'truncated', what: 'note', needed: end, size };
    const bytes = read(region.offset, region.size);
    if (bytes.length < region.size) return { kind: 'truncated', what: 'note', needed: end, size };
    const scan = scanNotes(bytes, region.align, little);
    if (scan.id !== undefined) return { id: scan.id };
    notes += scan.notes;
  }
  return notes;
}

function formatOf(head: Uint8Array): OtherFormat {
  if (head.length === 0) return 'empty';
  const be32 = head.length >= 4 ? new DataView(head.buffer, head.byteOffset).getUint32(0) : 0;
  // feedface/feedfacf (either order) and cafebabe (universal binaries).
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(be32)) return 'mach-o';
  if (head[0] === 0x4d && head[1] === 0x5a) return 'pe';
  if (head[0] === 0x23 && head[1] === 0x21) return 'script';
  return 'unknown';
}

function readLayout(
  read: ReadAt,
  ident: Uint8Array,
  size: number,
): ElfLayout | Extract<ElfBuildIdScan, { kind: 'truncated' | 'malformed' }> {
  const cls = ident[4];
  const data = ident[5];
  if (cls !== 1 && cls !== 2) return { kind: 'malformed', detail: `unknown ELF class ${cls}` };
  if (data !== 1 && data !== 2) {
    return { kind: 'malformed', detail: `unknown ELF byte order ${data}` };
  }
  const is64 = cls === 2;
  const little = data === 1;
  const headerSize = is64 ? 64 : 52;
  const header = read(0, headerSize);
  if (header.length < headerSize) {
    return { kind: 'truncated', what: 'ELF header', needed: headerSize, size };
  }
  const v = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const word = (at: number) => (is64 ? u64(v, at, little) : v.getUint32(at, little));
  // e_phoff, e_shoff, then e_phentsize, e_phnum, e_shentsize, e_shnum (ELF gABI, "ELF Header").
  const [phoff, shoff, half] = is64 ? [32, 40, 54] : [28, 32, 42];
  return {
    is64,
    little,
    phoff: word(phoff),
    shoff: word(shoff),
    phentsize: v.getUint16(half, little),
    phnum: v.getUint16(half + 2, little),
    shentsize: v.getUint16(half + 4, little),
    shnum: v.getUint16(half + 6, little),
  };
}

/** A 64-bit field; values past 2^53 cannot be file offsets and become MAX_SAFE_INTEGER. */
function u64(v: DataView, at: number, little: boolean): number {
  const n = v.getBigUint64(at, little);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

type Regions = readonly NoteRegion[] | Extract<ElfBuildIdScan, { kind: 'truncated' | 'malformed' }>;

/** Reads one header table (`count` entries of `entSize` bytes at `offset`). */
function readTable(
  read: ReadAt,
  what: 'program headers' | 'section headers',
  offset: number,
  entSize: number,
  minEntSize: number,
  count: number,
  size: number,
): DataView | Exclude<Regions, readonly NoteRegion[]> {
  if (entSize < minEntSize) {
    return { kind: 'malformed', detail: `${what} entries of ${entSize} bytes` };
  }
  const bytes = entSize * count;
  if (bytes > MAX_TABLE_BYTES) {
    return { kind: 'malformed', detail: `${count} ${what} of ${entSize} bytes` };
  }
  if (offset + bytes > size) return { kind: 'truncated', what, needed: offset + bytes, size };
  const table = read(offset, bytes);
  if (table.length < bytes) return { kind: 'truncated', what, needed: offset + bytes, size };
  return new DataView(table.buffer, table.byteOffset, table.byteLength);
}

function segmentRegions(read: ReadAt, l: ElfLayout, size: number): Regions {
  if (l.phnum === 0) return [];
  const t = readTable(
    read,
    'program headers',
    l.phoff,
    l.phentsize,
    l.is64 ? 56 : 32,
    l.phnum,
    size,
  );
  if (!(t instanceof DataView)) return t;
  // p_type at 0; p_offset, p_filesz, p_align: ELF64 at 8, 32, 48; ELF32 at 4, 16, 28.
  return noteRegions(t, l, l.phnum, l.phentsize, PT_NOTE, {
    type: 0,
    fields64: [8, 32, 48],
    fields32: [4, 16, 28],
  });
}

/** Where the type and the offset, size and alignment fields sit in one table entry. */
interface EntryLayout {
  readonly type: number;
  readonly fields64: readonly [number, number, number];
  readonly fields32: readonly [number, number, number];
}

/** The note regions of a header table: entries of `noteType`, of a plausible size. */
function noteRegions(
  t: DataView,
  l: ElfLayout,
  count: number,
  entSize: number,
  noteType: number,
  e: EntryLayout,
): NoteRegion[] {
  const regions: NoteRegion[] = [];
  const [offsetAt, sizeAt, alignAt] = l.is64 ? e.fields64 : e.fields32;
  const field = (at: number) => (l.is64 ? u64(t, at, l.little) : t.getUint32(at, l.little));
  for (let i = 0; i < count; i++) {
    const at = i * entSize;
    if (t.getUint32(at + e.type, l.little) !== noteType) continue;
    const region = {
      offset: field(at + offsetAt),
      size: field(at + sizeAt),
      align: field(at + alignAt),
    };
    if (region.size >= 12 && region.size <= MAX_NOTE_BYTES) regions.push(region);
  }
  return regions;
}

function sectionRegions(read: ReadAt, l: ElfLayout, size: number): Regions {
  if (l.shnum === 0 || l.shoff === 0) return [];
  const t = readTable(
    read,
    'section headers',
    l.shoff,
    l.shentsize,
    l.is64 ? 64 : 40,
    l.shnum,
    size,
  );
  if (!(t instanceof DataView)) return t;
  // sh_type at 4; sh_offset, sh_size, sh_addralign: ELF64 at 24, 32, 48; ELF32 at 16, 20, 32.
  return noteRegions(t, l, l.shnum, l.shentsize, SHT_NOTE, {
    type: 4,
    fields64: [24, 32, 48],
    fields32: [16, 20, 32],
  });
}

/**
 * Walks the notes of one region: each is namesz, descsz, type (4 bytes each), then the name
 * and the descriptor, each padded to 4 bytes, or to 8 in a region aligned to 8 (as binutils
 * reads `.note.gnu.property`). Returns the Go build ID's text if one of them is it.
 */
export function scanNotes(
  bytes: Uint8Array,
  align: number,
  little: boolean,
): { readonly id: string | undefined; readonly notes: number } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pad = align === 8 ? 8 : 4;
  const up = (n: number) => Math.ceil(n / pad) * pad;
  let notes = 0;
  let at = 0;
  while (at + 12 <= bytes.length) {
    const nameSize = v.getUint32(at, little);
    const descSize = v.getUint32(at + 4, little);
    const type = v.getUint32(at + 8, little);
    const name = at + 12;
    const desc = name + up(nameSize);
    if (desc + descSize > bytes.length) break;
    notes++;
    if (type === GO_BUILDID_TYPE && isGoOwner(bytes.subarray(name, name + nameSize))) {
      return { id: Buffer.from(bytes.subarray(desc, desc + descSize)).toString('latin1'), notes };
    }
    at = desc + up(descSize);
  }
  return { id: undefined, notes };
}

/** The owner "Go", NUL-terminated and padded: the linker writes namesz 4, "Go\0\0". */
function isGoOwner(name: Uint8Array): boolean {
  let end = name.length;
  while (end > 0 && name[end - 1] === 0) end--;
  return end === 2 && name[0] === 0x47 && name[1] === 0x6f;
}
