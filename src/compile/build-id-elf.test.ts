import { describe, expect, it } from 'vitest';
import { type ReadAt, scanElfBuildId, scanNotes } from './build-id-elf.js';

// Hand-made ELF files: every class, byte order and place of the note, with the reads counted.
// Real binaries from the real go are read in build-id.test.ts.

interface Note {
  readonly name: string;
  readonly type: number;
  readonly desc: string;
}

interface ElfSpec {
  readonly is64?: boolean;
  readonly little?: boolean;
  readonly notes?: readonly Note[];
  /** Which header table points at the notes. @default 'both' */
  readonly via?: 'segment' | 'section' | 'both';
  readonly align?: number;
  /** Bytes of padding between the headers and the notes (a note far into the file). */
  readonly gap?: number;
}

const ID = 'aaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccc/dddddddddddddddddddd';
const GO_NOTE: Note = { name: 'Go\0\0', type: 4, desc: ID };
const GNU_NOTE: Note = { name: 'GNU\0', type: 3, desc: '\x01\x02\x03\x04\x05\x06\x07\x08' };

function noteBytes(notes: readonly Note[], little: boolean, align: number): Uint8Array {
  const pad = align === 8 ? 8 : 4;
  const up = (n: number) => Math.ceil(n / pad) * pad;
  const size = notes.reduce((n, x) => n + 12 + up(x.name.length) + up(x.desc.length), 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  let at = 0;
  for (const n of notes) {
    v.setUint32(at, n.name.length, little);
    v.setUint32(at + 4, n.desc.length, little);
    v.setUint32(at + 8, n.type, little);
    out.set(Buffer.from(n.name, 'latin1'), at + 12);
    at += 12 + up(n.name.length);
    out.set(Buffer.from(n.desc, 'latin1'), at);
    at += up(n.desc.length);
  }
  return out;
}

/** An ELF file: header, 2 program headers, [gap], notes, 2 section headers (null + notes). */
function elf(spec: ElfSpec = {}): Uint8Array {
  const { is64 = true, little = true, notes = [GO_NOTE], via = 'both', align = 4 } = spec;
  const [ehSize, phSize, shSize] = is64 ? [64, 56, 64] : [52, 32, 40];
  const data = noteBytes(notes, little, align);
  const phoff = ehSize;
  const noteOff = phoff + 2 * phSize + (spec.gap ?? 0);
  const shoff = noteOff + data.length;
  const out = new Uint8Array(shoff + 2 * shSize);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1]);
  const word = (at: number, n: number) =>
    is64 ? v.setBigUint64(at, BigInt(n), little) : v.setUint32(at, n, little);
  const half = is64 ? 54 : 42;
  word(is64 ? 32 : 28, phoff);
  word(is64 ? 40 : 32, shoff);
  v.setUint16(half, phSize, little);
  v.setUint16(half + 2, 2, little);
  v.setUint16(half + 4, shSize, little);
  v.setUint16(half + 6, 2, little);
  // Program header 0: a PT_LOAD (1); 1: the PT_NOTE (4), or PT_NULL (0) when not via segment.
  v.setUint32(phoff, 1, little);
  const ph = phoff + phSize;
  v.setUint32(ph, via === 'section' ? 0 : 4, little);
  if (is64) {
    v.setBigUint64(ph + 8, BigInt(noteOff), little);
    v.setBigUint64(ph + 32, BigInt(data.length), little);
    v.setBigUint64(ph + 48, BigInt(align), little);
  } else {
    v.setUint32(ph + 4, noteOff, little);
    v.setUint32(ph + 16, data.length, little);
    v.setUint32(ph + 28, align, little);
  }
  out.set(data, noteOff);
  // Section header 1: SHT_NOTE (7), or SHT_PROGBITS (1) when not via section.
  const sh = shoff + shSize;
  v.setUint32(sh + 4, via === 'segment' ? 1 : 7, little);
  if (is64) {
    v.setBigUint64(sh + 24, BigInt(noteOff), little);
    v.setBigUint64(sh + 32, BigInt(data.length), little);
    v.setBigUint64(sh + 48, BigInt(align), little);
  } else {
    v.setUint32(sh + 16, noteOff, little);
    v.setUint32(sh + 20, data.length, little);
    v.setUint32(sh + 32, align, little);
  }
  return out;
}

/** Scans `bytes` as a file, recording every read. */
function scan(bytes: Uint8Array) {
  const reads: Array<[number, number]> = [];
  const read: ReadAt = (offset, length) => {
    reads.push([offset, length]);
    return bytes.subarray(offset, offset + length);
  };
  return { result: scanElfBuildId(read, bytes.length), reads };
}

describe('scanElfBuildId', () => {
  it.each([
    ['ELF64 little-endian (amd64, arm64)', { is64: true, little: true }],
    ['ELF64 big-endian (s390x, ppc64)', { is64: true, little: false }],
    ['ELF32 little-endian (386, arm)', { is64: false, little: true }],
    ['ELF32 big-endian (mips)', { is64: false, little: false }],
  ])('finds the Go note in the PT_NOTE segment of %s', (_, layout) => {
    expect(scan(elf(layout)).result).toEqual({ kind: 'found', id: ID, via: 'segment' });
  });

  it.each([
    ['after a GNU build-id note', [GNU_NOTE, GO_NOTE], 4],
    [
      'after a note with an odd-sized name and descriptor',
      [{ name: 'X\0', type: 1, desc: 'abcde' }, GO_NOTE],
      4,
    ],
    ['in an 8-aligned segment', [GNU_NOTE, GO_NOTE], 8],
    ['with the name NUL-terminated but unpadded (namesz 3)', [{ ...GO_NOTE, name: 'Go\0' }], 4],
  ] as const)('finds it %s', (_, notes, align) => {
    expect(scan(elf({ notes, align })).result).toMatchObject({ kind: 'found', id: ID });
  });

  it('falls back to the section headers when no segment holds the note', () => {
    expect(scan(elf({ via: 'section' })).result).toEqual({ kind: 'found', id: ID, via: 'section' });
  });

  it('reads the header, the program headers and the note only, even far into the file', () => {
    const file = elf({ gap: 1 << 20 });
    const { result, reads } = scan(file);
    expect(result).toMatchObject({ kind: 'found', id: ID });
    const bytesRead = reads.reduce((n, [, length]) => n + length, 0);
    expect(bytesRead).toBeLessThan(400);
    expect(reads.map(([offset]) => offset)).toEqual([0, 0, 64, 64 + 2 * 56 + (1 << 20)]);
  });

  it.each([
    ['a GNU note of type 4', [{ ...GO_NOTE, name: 'GNU\0' }], 1],
    ['a Go note of type 3', [{ ...GO_NOTE, type: 3 }], 1],
    ['a GNU build-id only (a C binary)', [GNU_NOTE], 1],
    ['no notes at all', [], 0],
  ] as const)('says no-go-note for %s', (_, notes, count) => {
    expect(scan(elf({ notes })).result).toEqual({ kind: 'no-go-note', notes: count * 2 });
  });

  it.each([
    ['the ELF identification', 10, 'ELF header'],
    ['the ELF header', 40, 'ELF header'],
    ['the program headers', 100, 'program headers'],
    ['the note', 64 + 2 * 56 + 20, 'note'],
  ] as const)('says truncated when the file ends inside %s', (_, length, what) => {
    const file = elf().subarray(0, length);
    expect(scan(file).result).toMatchObject({ kind: 'truncated', what, size: length });
  });

  it('says truncated when the section headers are cut off and no segment has the note', () => {
    const file = elf({ via: 'section' });
    const cut = file.subarray(0, file.length - 10);
    expect(scan(cut).result).toMatchObject({ kind: 'truncated', what: 'section headers' });
  });

  it.each([
    ['a text file', 'hello, world\n', 'unknown'],
    ['a script', '#!/bin/sh\necho hi\n', 'script'],
    ['an empty file', '', 'empty'],
    ['a Mach-O 64-bit binary', '\xcf\xfa\xed\xfe\x07\x00\x00\x01', 'mach-o'],
    ['a universal Mach-O binary', '\xca\xfe\xba\xbe\x00\x00\x00\x02', 'mach-o'],
    ['a PE binary', 'MZ\x90\x00\x03\x00', 'pe'],
    ['a file that starts like ELF but differs in byte 3', '\x7fELG\x02\x01\x01', 'unknown'],
  ])('says not-elf for %s, with its first bytes', (_, text, format) => {
    const bytes = Buffer.from(text, 'latin1');
    expect(scan(bytes).result).toEqual({
      kind: 'not-elf',
      format,
      head: bytes.subarray(0, 16),
    });
  });

  it('says truncated, not not-elf, for a file cut inside the ELF magic', () => {
    expect(scan(Buffer.from('\x7fEL', 'latin1')).result).toMatchObject({ kind: 'truncated' });
  });

  it.each([
    ['class', 4, 3, 'unknown ELF class 3'],
    ['byte order', 5, 0, 'unknown ELF byte order 0'],
  ])('says malformed for an unknown %s', (_, at, value, detail) => {
    const file = elf();
    file[at] = value;
    expect(scan(file).result).toEqual({ kind: 'malformed', detail });
  });

  it('says malformed for program header entries smaller than the ELF class allows', () => {
    const file = elf();
    new DataView(file.buffer).setUint16(54, 8, true);
    expect(scan(file).result).toMatchObject({ kind: 'malformed' });
  });
});

describe('scanNotes', () => {
  it('stops at a note whose sizes point past the region, keeping what it counted', () => {
    const bytes = noteBytes([GNU_NOTE, GO_NOTE], true, 4);
    new DataView(bytes.buffer).setUint32(28, 1 << 30, true);
    expect(scanNotes(bytes, 4, true)).toEqual({ id: undefined, notes: 1 });
  });
});
