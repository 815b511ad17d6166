import { describe, expect, it } from 'vitest';
import { createRecentAnswers } from './recent-answers.js';

describe('recent answers', () => {
  it('when asked again within the ttl, then the same answer is shared; after it, loaded anew', async () => {
    let clock = 0;
    let loads = 0;
    const recent = createRecentAnswers<number>(5_000, () => clock);
    const load = (): Promise<number> => Promise.resolve((loads += 1));
    expect(await recent.get('1h', load)).toBe(1);
    clock = 4_999;
    expect(await recent.get('1h', load)).toBe(1);
    expect(await recent.get('24h', load)).toBe(2);
    clock = 5_000;
    expect(await recent.get('1h', load)).toBe(3);
  });

  it('when a load fails, then the next caller loads again instead of getting the failure', async () => {
    const recent = createRecentAnswers<string>(5_000, () => 0);
    await expect(recent.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await recent.get('k', () => Promise.resolve('up'))).toBe('up');
  });
});
