import { describe, expect, it } from 'vitest';
import { parseRequest } from './protocol.js';

describe('control protocol: parseRequest', () => {
  it('accepts a version 1 request of a known method', () => {
    expect(parseRequest('{"v":1,"id":7,"method":"inspect"}')).toEqual({
      ok: true,
      request: { v: 1, id: 7, method: 'inspect' },
    });
  });

  it.each([
    ['not json', 'null', 'bad-request'],
    ['[1]', 'null', 'bad-request'],
    ['{"v":2,"id":1,"method":"inspect"}', '1', 'unsupported-version'],
    ['{"id":1,"method":"inspect"}', '1', 'unsupported-version'],
    ['{"v":1,"method":"inspect"}', 'null', 'bad-request'],
    ['{"v":1,"id":"a","method":"reload"}', '"a"', 'unknown-method'],
  ])('%s is answered with an error (id %s, code %s)', (line, id, code) => {
    const parsed = parseRequest(line);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.response).toMatchObject({ v: 1, ok: false, id: JSON.parse(id), error: { code } });
  });
});
