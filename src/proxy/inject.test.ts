import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  cspNonce,
  decodableEncoding,
  decodeBody,
  escapeHtml,
  injectTag,
  scriptTag,
} from './inject.js';

describe('injectTag', () => {
  it.each([
    ['<html><body><p>x</p></body></html>', '<html><body><p>x</p>TAG</body></html>'],
    // The last </body> wins: an earlier one can sit in a comment or a template.
    ['<body><!-- </body> --></BODY >', '<body><!-- </body> -->TAG</BODY >'],
    ['<p>no body tag</p>', '<p>no body tag</p>TAG'],
    ['', 'TAG'],
  ])('%j', (html, expected) => {
    expect(injectTag(html, 'TAG')).toBe(expected);
  });
});

describe('scriptTag', () => {
  it('carries the epoch and an escaped nonce', () => {
    expect(scriptTag(3, undefined)).toBe(
      '<script src="/__gohot/client.js" data-gohot-epoch="3"></script>',
    );
    expect(scriptTag(1, 'a"b')).toContain(' nonce="a&quot;b"');
  });
});

describe('cspNonce', () => {
  it.each([
    [undefined, undefined],
    ["default-src 'self'", undefined],
    ["script-src 'nonce-abc' 'strict-dynamic'", 'abc'],
    ["default-src 'nonce-def'", 'def'],
    // script-src governs scripts, not default-src.
    ["default-src 'nonce-def'; script-src 'self'", undefined],
    ["script-src 'self'; script-src-elem 'nonce-elem'", 'elem'],
    [["frame-ancestors 'none'", "script-src 'nonce-second'"], 'second'],
    ["img-src *, script-src 'nonce-x1'", 'x1'],
  ] as const)('%j -> %j', (header, expected) => {
    expect(cspNonce(header as string | string[] | undefined)).toBe(expected);
  });
});

describe('decodableEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['identity', 'identity'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['BR', 'br'],
    ['deflate', 'deflate'],
    ['gzip, br', undefined],
    ['zstd', undefined],
  ])('%j -> %j', (header, expected) => {
    expect(decodableEncoding(header)).toBe(expected);
  });
});

describe('decodeBody', () => {
  const html = Buffer.from('<html><body>é</body></html>');
  it.each([
    ['gzip', zlib.gzipSync(html)],
    ['br', zlib.brotliCompressSync(html)],
    ['deflate', zlib.deflateSync(html)],
    // Some servers send raw deflate under "deflate".
    ['deflate', zlib.deflateRawSync(html)],
    ['identity', html],
  ] as const)('%s', async (encoding, body) => {
    expect((await decodeBody(body, encoding)).toString()).toBe(html.toString());
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<b a="1">'&`)).toBe('&lt;b a=&quot;1&quot;&gt;&#39;&amp;');
  });
});

describe('clientScript', () => {
  // Pins a bug: an escape in the template literal became a raw newline in a string of the
  // served script, a syntax error that stopped every page from reloading.
  it('is valid JavaScript', async () => {
    const { clientScript } = await import('./client-script.js');
    expect(() => new Function(clientScript())).not.toThrow();
  });
});
