import { describe, expect, it } from 'vitest';
import { createStreamQuota } from '../live/stream-quota.js';

describe('createStreamQuota', () => {
  it('when a viewer holds the most allowed, then more are refused for that viewer only, and a release frees one place once', () => {
    const quota = createStreamQuota(2);
    const first = quota.take('ann');
    expect(first).toBeDefined();
    expect(quota.take('ann')).toBeDefined();
    expect(quota.take('ann')).toBeUndefined();
    expect(quota.take('bob')).toBeDefined();
    first?.();
    first?.(); // a second release of the same stream frees nothing more
    expect(quota.take('ann')).toBeDefined();
    expect(quota.take('ann')).toBeUndefined();
  });
});
