import { describe, expect, it } from 'vitest';
import { GoScanner, scanGoTokens, TOKEN, type TokenKind } from './scanner.js';

const NAMES: Record<TokenKind, string> = {
  [TOKEN.EOF]: 'eof',
  [TOKEN.ILLEGAL]: 'illegal',
  [TOKEN.IDENT]: 'ident',
  [TOKEN.INT]: 'int',
  [TOKEN.FLOAT]: 'float',
  [TOKEN.IMAG]: 'imag',
  [TOKEN.CHAR]: 'char',
  [TOKEN.STRING]: 'string',
  [TOKEN.KEYWORD]: 'kw',
  [TOKEN.OPERATOR]: 'op',
  [TOKEN.SEMICOLON]: ';',
  [TOKEN.DIRECTIVE]: 'directive',
};

/** The tokens as `kind:text`, with `;` for a semicolon in the source and `;auto` for one inserted. */
function tokens(source: string): string[] {
  return scanGoTokens(source).tokens.map((t) =>
    t.kind === TOKEN.SEMICOLON ? (t.text === ';' ? ';' : ';auto') : `${NAMES[t.kind]}:${t.text}`,
  );
}

/** The tokens as `line:kind:text`. */
function located(source: string): string[] {
  return scanGoTokens(source).tokens.map(
    (t) => `${t.line}:${t.kind === TOKEN.SEMICOLON && t.text === '\n' ? ';auto' : t.text}`,
  );
}

describe('GoScanner: automatic semicolons', () => {
  it.each([
    ['after an identifier', 'x\n', ['ident:x', ';auto']],
    ['after )', 'f()\n', ['ident:f', 'op:(', 'op:)', ';auto']],
    ['after ]', 'a[0]\n', ['ident:a', 'op:[', 'int:0', 'op:]', ';auto']],
    ['after }', '}\n', ['op:}', ';auto']],
    ['after ++', 'i++\n', ['ident:i', 'op:++', ';auto']],
    ['after --', 'i--\n', ['ident:i', 'op:--', ';auto']],
    ['after return', 'return\n', ['kw:return', ';auto']],
    ['after break', 'break\n', ['kw:break', ';auto']],
    ['after continue', 'continue\n', ['kw:continue', ';auto']],
    ['after fallthrough', 'fallthrough\n', ['kw:fallthrough', ';auto']],
    ['after a string', '"s"\n', ['string:"s"', ';auto']],
    ['after a raw string', '`s`\n', ['string:`s`', ';auto']],
    ['after a rune', "'r'\n", ["char:'r'", ';auto']],
    ['after a number', '1.5\n', ['float:1.5', ';auto']],
    ['not after +', 'a +\nb\n', ['ident:a', 'op:+', 'ident:b', ';auto']],
    ['not after +=', 'a +=\nb\n', ['ident:a', 'op:+=', 'ident:b', ';auto']],
    ['not after (', 'f(\n)\n', ['ident:f', 'op:(', 'op:)', ';auto']],
    ['not after ,', 'a,\nb\n', ['ident:a', 'op:,', 'ident:b', ';auto']],
    ['not after other keywords', 'func\nif\n', ['kw:func', 'kw:if']],
    ['not on blank lines', 'x\n\n\ny\n', ['ident:x', ';auto', 'ident:y', ';auto']],
    ['at EOF without a newline', 'x', ['ident:x', ';auto']],
    ['at EOF after ) ', 'f() ', ['ident:f', 'op:(', 'op:)', ';auto']],
    ['none at EOF after an operator', 'x +', ['ident:x', 'op:+']],
    ['none at EOF after a newline', 'x\n', ['ident:x', ';auto']],
    ['explicit ; then no second', 'x;\n', ['ident:x', ';']],
    ['at a line comment', 'x // c\ny', ['ident:x', ';auto', 'ident:y', ';auto']],
    ['at EOF after a line comment', 'x // c', ['ident:x', ';auto']],
    [
      'at a general comment with a newline',
      'x /* a\nb */ y',
      ['ident:x', ';auto', 'ident:y', ';auto'],
    ],
    [
      'not at a general comment without one',
      'x /* c */ + y',
      ['ident:x', 'op:+', 'ident:y', ';auto'],
    ],
    [
      'at the newline after a one-line general comment',
      'x /* c */\ny',
      ['ident:x', ';auto', 'ident:y', ';auto'],
    ],
    [
      'none at a multi-line comment when not due',
      'x + /* a\nb */ y',
      ['ident:x', 'op:+', 'ident:y', ';auto'],
    ],
    [
      'after a directive, in order',
      'x //go:noinline\n',
      ['ident:x', 'directive://go:noinline', ';auto'],
    ],
    [
      'after a multi-line /*line',
      'x /*line a.go:1\n*/',
      ['ident:x', 'directive:/*line a.go:1\n*/', ';auto'],
    ],
  ])('%s', (_name, source, expected) => {
    expect(tokens(source)).toEqual(expected);
  });

  it('puts an inserted semicolon on the line of its newline', () => {
    expect(located('x /* a\nb\nc */ y\nz // c\n')).toEqual([
      '1:x',
      '1:;auto',
      '3:y',
      '3:;auto',
      '4:z',
      '4:;auto',
    ]);
    expect(located('x\n\ny')).toEqual(['1:x', '1:;auto', '3:y', '3:;auto']);
  });
});

describe('GoScanner: comments', () => {
  it.each([
    ['//go:build linux', true],
    ['//go:embed static/*', true],
    ['//go:generate stringer -type=T', true],
    ['//go:linkname local runtime.nanotime', true],
    ['//go:noinline', true],
    ['//go:debug panicnil=1', true],
    ['// +build linux,amd64', true],
    ['//+build ignore', true],
    ['//export Add', true],
    ['/*line a.go:10*/', true],
    ['// go:build linux', false],
    ['// ordinary', false],
    ['/* ordinary */', false],
    ['//export', false],
    ['//exported', false],
    ['//nolint:errcheck', false],
  ])('%s is a directive: %s', (comment, directive) => {
    expect(tokens(`${comment}\npackage p\n`)).toEqual([
      ...(directive ? [`directive:${comment}`] : []),
      'kw:package',
      'ident:p',
      ';auto',
    ]);
  });

  it('takes //line as a directive only at the start of a line, /*line anywhere', () => {
    expect(tokens('//line a.go:1\n\t//line b.go:2\nx /*line c.go:3*/\n')).toEqual([
      'directive://line a.go:1',
      'ident:x',
      'directive:/*line c.go:3*/',
      ';auto',
    ]);
  });

  it('checks the numbers of line directives as go/scanner does, only of real ones', () => {
    expect(scanGoTokens('//line a.go:0\n').error?.message).toBe('invalid line number');
    expect(scanGoTokens('//line a.go:1:0\n').error?.message).toBe('invalid column number');
    expect(scanGoTokens('x /*line a.go:x*/\n').error?.message).toBe('invalid line number');
    expect(scanGoTokens('\t//line a.go:0\n').error).toBeUndefined();
    expect(scanGoTokens('//line no colon\n').error).toBeUndefined();
    expect(scanGoTokens('/*line a.go:0').error?.message).toBe('comment not terminated');
  });

  it('counts the lines of a general comment spanning lines', () => {
    expect(located('a /* 1\n2\n3 */ b\n/*\n*/c')).toEqual([
      '1:a',
      '1:;auto',
      '3:b',
      '3:;auto',
      '5:c',
      '5:;auto',
    ]);
  });

  it('keeps comment markers inside strings as string text', () => {
    expect(tokens('s := "// not a comment" + `/* nor */`')).toEqual([
      'ident:s',
      'op::=',
      'string:"// not a comment"',
      'op:+',
      'string:`/* nor */`',
      ';auto',
    ]);
  });

  it('drops carriage returns from directives and counts CRLF lines', () => {
    expect(located('//go:build x\r\npackage p\r\n')).toEqual([
      '1://go:build x',
      '2:package',
      '2:p',
      '2:;auto',
    ]);
  });
});

describe('GoScanner: literals', () => {
  it.each([
    ['0x1p-2', 'float'],
    ['0X1P+2', 'float'],
    ['0x.8p1', 'float'],
    ['1_000', 'int'],
    ['0o17', 'int'],
    ['0O17', 'int'],
    ['07', 'int'],
    ['0b1010', 'int'],
    ['0x_1F', 'int'],
    ['1e3i', 'imag'],
    ['0x1p2i', 'imag'],
    ['.5', 'float'],
    ['1.', 'float'],
    ['1E+3', 'float'],
    ['09.5', 'float'],
    ['08i', 'imag'],
    ['0', 'int'],
  ])('%s is one %s', (literal, kind) => {
    const r = scanGoTokens(`${literal}\n`);
    expect(tokens(`${literal}\n`)).toEqual([`${kind}:${literal}`, ';auto']);
    expect(r.error).toBeUndefined();
  });

  it.each([
    ['1__0', "'_' must separate successive digits"],
    ['1_', "'_' must separate successive digits"],
    ['0x', 'hexadecimal literal has no digits'],
    ['09', "invalid digit '9' in octal literal"],
    ['0b12', "invalid digit '2' in binary literal"],
    ['1p3', "'p' exponent requires hexadecimal mantissa"],
    ['0x1.0', "hexadecimal mantissa requires a 'p' exponent"],
    ['1e', 'exponent has no digits'],
    ['0b1.0', 'invalid radix point in binary literal'],
  ])('%s is an error: %s', (literal, message) => {
    expect(scanGoTokens(`${literal}\n`).error?.message).toBe(message);
  });

  it('ends a hex number at a sign, and tells dots from numbers (no semicolon after ...)', () => {
    expect(tokens('0x1e+2 x.y a...')).toEqual([
      'int:0x1e',
      'op:+',
      'int:2',
      'ident:x',
      'op:.',
      'ident:y',
      'ident:a',
      'op:...',
    ]);
  });

  it.each([
    ["'\\''"],
    ["'\\x41'"],
    ["'\\377'"],
    ["'\\u00e4'"],
    ["'\\U0001F600'"],
    ["'ä'"],
    ["'𝄞'"],
    ["'\"'"],
  ])('rune %s', (rune) => {
    const r = scanGoTokens(rune);
    expect(tokens(rune)).toEqual([`char:${rune}`, ';auto']);
    expect(r.error).toBeUndefined();
  });

  it.each([
    ["''", 'illegal rune literal'],
    ["'ab'", 'illegal rune literal'],
    ["'\\q'", 'unknown escape sequence'],
    ["'\\400'", 'escape sequence is invalid Unicode code point'],
    ["'\\uD800'", 'escape sequence is invalid Unicode code point'],
    ["'a\n'", 'rune literal not terminated'],
    ['"\\x4"', 'illegal character in escape sequence'],
    ['"open\n"', 'string literal not terminated'],
    ['`open', 'raw string literal not terminated'],
    ['/* open', 'comment not terminated'],
  ])('%j is an error: %s', (source, message) => {
    expect(scanGoTokens(source).error?.message).toBe(message);
  });

  it('reads raw strings across lines, with quotes and backslashes, without their CRs', () => {
    const source = 'a := `line 1\r\n"quoted" \\n \'r\'\r\n`\nb := `x`+`y`\n';
    expect(located(source)).toEqual([
      '1:a',
      '1::=',
      '1:`line 1\n"quoted" \\n \'r\'\n`',
      '3:;auto',
      '4:b',
      '4::=',
      '4:`x`',
      '4:+',
      '4:`y`',
      '4:;auto',
    ]);
  });

  it('reads interpreted strings with escaped quotes', () => {
    expect(tokens('"a\\"b" "\\\\" "\\u65e5"')).toEqual([
      'string:"a\\"b"',
      'string:"\\\\"',
      'string:"\\u65e5"',
      ';auto',
    ]);
  });
});

describe('GoScanner: identifiers, keywords and operators', () => {
  it('takes Unicode letters and digits, including outside the BMP', () => {
    expect(tokens('ä 𝑥 ǅ a١ _𝟘 ĳ')).toEqual([
      'ident:ä',
      'ident:𝑥',
      'ident:ǅ',
      'ident:a١',
      'ident:_𝟘',
      'ident:ĳ',
      ';auto',
    ]);
  });

  it('knows every keyword', () => {
    const keywords =
      'break case chan const continue default defer else fallthrough for func go goto if ' +
      'import interface map package range return select struct switch type var';
    expect(tokens(keywords)).toEqual(keywords.split(' ').map((k) => `kw:${k}`));
    expect(tokens('maps gofunc')).toEqual(['ident:maps', 'ident:gofunc', ';auto']);
  });

  it('takes the longest operator', () => {
    const ops = '&^= <<= >>= ... <- ~ := &^ && || != == <= >= += -= *= /= %= ^= |= &= << >> ! ^ %';
    expect(tokens(ops)).toEqual(ops.split(' ').map((o) => `op:${o}`));
  });

  it('reports a character that starts no token as ILLEGAL and goes on', () => {
    expect(tokens('a # b')).toEqual(['ident:a', 'illegal:#', 'ident:b', ';auto']);
    expect(scanGoTokens('a # b').error).toEqual({
      offset: 2,
      line: 1,
      message: 'illegal character U+0023',
    });
    expect(tokens('x \u201cy\u201d')).toEqual([
      'ident:x',
      'illegal:\u201c',
      'ident:y',
      'illegal:\u201d',
      ';auto',
    ]);
  });

  it('skips a byte order mark at the start and rejects one later', () => {
    expect(scanGoTokens('\uFEFFpackage p').error).toBeUndefined();
    expect(tokens('\uFEFFpackage p')).toEqual(['kw:package', 'ident:p', ';auto']);
    expect(scanGoTokens('package p // \uFEFF').error?.message).toBe('illegal byte order mark');
    expect(scanGoTokens('package p // \0').error?.message).toBe('illegal character NUL');
  });

  it('stays at EOF', () => {
    const scanner = new GoScanner('x');
    expect([scanner.next(), scanner.next(), scanner.next(), scanner.next()]).toEqual([
      TOKEN.IDENT,
      TOKEN.SEMICOLON,
      TOKEN.EOF,
      TOKEN.EOF,
    ]);
  });
});
