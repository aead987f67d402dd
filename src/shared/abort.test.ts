import { describe, expect, it } from 'vitest';
import { raceAbort } from './abort.ts';

describe('raceAbort', () => {
  it('rejects with the abort reason even when the work never settles', async () => {
    const started = Date.now();
    await expect(raceAbort(new Promise(() => {}), AbortSignal.timeout(50))).rejects.toThrow(
      /timed out|aborted/i,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('passes the work’s value or error through when it settles first', async () => {
    const signal = new AbortController().signal;
    expect(await raceAbort(Promise.resolve(7), signal)).toBe(7);
    await expect(raceAbort(Promise.reject(new Error('boom')), signal)).rejects.toThrow('boom');
  });

  it('rejects at once for an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(raceAbort(Promise.resolve(1), controller.signal)).rejects.toThrow('gone');
  });
});
