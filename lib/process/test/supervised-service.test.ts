// The supervisor against real child processes (node + tsx), as npm start runs its services.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnService, type SpawnedService } from '../spawn-service.js';
import { superviseService, type SupervisedService } from '../supervised-service.js';

const spawnFixture = (env: Record<string, string> = {}): Promise<SpawnedService> =>
  spawnService({ name: 'fixture', entry: 'lib/process/test/fixtures/ready-service.ts', env, readyMessage: 'ready', timeoutMs: 20_000 });

const supervised: SupervisedService[] = [];
afterEach(async () => {
  await Promise.all(supervised.splice(0).map((s) => s.stop()));
});

describe('superviseService', () => {
  it('when a running service is killed -9, then it is started again and the supervisor hands out the new instance', async () => {
    const exits: (string | null)[] = [];
    let restarted: (s: SpawnedService) => void = () => undefined;
    const back = new Promise<SpawnedService>((resolve) => (restarted = resolve));
    const first = await spawnFixture();
    const service = superviseService(first, {
      restart: () => spawnFixture(),
      onExit: ({ signal }) => exits.push(signal),
      onRestarted: (s) => restarted(s),
      onGiveUp: (reason) => expect.fail(`gave up: ${reason}`),
      backoff: { baseMs: 50, capMs: 100 },
    });
    supervised.push(service);
    await first.kill9();
    const second = await back;
    expect(exits).toEqual(['SIGKILL']);
    expect(second.child.pid).not.toBe(first.child.pid);
    expect(service.current()).toBe(second);
    expect(second.child.exitCode).toBeNull();
  }, 30_000);

  it('when a service keeps exiting soon after it starts, then the supervisor gives up after maxFailures restarts and says why', async () => {
    let gaveUp: (reason: string) => void = () => undefined;
    const reason = new Promise<string>((resolve) => (gaveUp = resolve));
    let restarts = 0;
    const first = await spawnFixture({ EXIT_AFTER_MS: '50' });
    supervised.push(
      superviseService(first, {
        restart: () => spawnFixture({ EXIT_AFTER_MS: '50' }),
        onExit: () => undefined,
        onRestarted: () => restarts++,
        onGiveUp: gaveUp,
        backoff: { baseMs: 20, capMs: 40 },
        maxFailures: 2,
      }),
    );
    expect(await reason).toMatch(/exited 3 times in a row, each within 60000 ms of starting \(last: code 1/);
    expect(restarts).toBe(2);
  }, 60_000);

  it('when a service exits with code 0 by itself (asked to stop, as Ctrl-C asks every process of the group), then it is not started again', async () => {
    const exits: (number | undefined)[] = [];
    let restarts = 0;
    const first = await spawnFixture({ EXIT_AFTER_MS: '50', EXIT_CODE: '0' });
    supervised.push(
      superviseService(first, { restart: () => spawnFixture(), onExit: ({ restartInMs }) => exits.push(restartInMs), onRestarted: () => restarts++, onGiveUp: () => undefined, backoff: { baseMs: 10, capMs: 10 } }),
    );
    await new Promise((resolve) => first.child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exits).toEqual([undefined]);
    expect(restarts).toBe(0);
  }, 30_000);

  it('when the caller has halted supervision, then a failure starts nothing', async () => {
    let restarts = 0;
    let halted = false;
    const first = await spawnFixture();
    supervised.push(superviseService(first, { restart: () => spawnFixture(), onExit: () => undefined, onRestarted: () => restarts++, onGiveUp: () => undefined, halted: () => halted, backoff: { baseMs: 10, capMs: 10 } }));
    halted = true;
    await first.kill9();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(restarts).toBe(0);
  }, 30_000);

  it('when stopped, then its instance is stopped and a later exit starts nothing', async () => {
    let restarts = 0;
    const first = await spawnFixture();
    const service = superviseService(first, { restart: () => spawnFixture(), onExit: () => undefined, onRestarted: () => restarts++, onGiveUp: () => undefined, backoff: { baseMs: 10, capMs: 10 } });
    await service.stop();
    expect(first.child.exitCode ?? first.child.signalCode).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(restarts).toBe(0);
  }, 30_000);
});
