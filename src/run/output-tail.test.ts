import { describe, expect, it, vi } from 'vitest';
import { OutputTail } from './output-tail.js';

describe('OutputTail', () => {
  it('keeps the last lines of both streams, unfinished ones included', () => {
    const tail = new OutputTail(3, 10);
    tail.push('stdout', 'one\ntwo\n');
    tail.push('stderr', 'three\r\nfour is a long line\nfi');
    expect(tail.lines()).toEqual(['three', 'four is a ', 'fi']);
    tail.push('stderr', 've\n');
    expect(tail.lines()).toEqual(['three', 'four is a ', 'five']);
  });

  it('forgets on reset and tells listeners about pushes', () => {
    const tail = new OutputTail();
    const listener = vi.fn();
    const off = tail.onChange(listener);
    tail.push('stdout', 'x\n');
    expect(listener).toHaveBeenCalledTimes(1);
    tail.reset();
    expect(tail.lines()).toEqual([]);
    off();
    tail.push('stdout', 'y\n');
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
