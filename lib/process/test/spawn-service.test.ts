import { describe, expect, it } from 'vitest';
import { spawnService } from '../spawn-service.js';

describe('spawnService', () => {
  it('when the service exits before it is ready, then the error has its exit code and its last output', async () => {
    const started = spawnService({ name: 'dies', entry: 'lib/process/test/fixtures/dies-at-start.ts', env: {}, readyMessage: 'never', timeoutMs: 30_000 });
    await expect(started).rejects.toThrow(/dies exited early \(code 1, signal null\); its last output:[\s\S]*EADDRINUSE/);
  });
});
