// stopOnSignal's failed(): a process that cannot go on stops as on SIGTERM, then exits 1 so that
// its supervisor starts it again (a clean exit 0 would not be restarted: supervised-service.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('stopOnSignal', () => {
  it('when the process reports a failure, then it runs its stop once and exits 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/process/test/fixtures/stops-after-failure.ts'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect({ code, out }).toEqual({ code: 1, out: 'stopped\n' });
  }, 30_000);
});
