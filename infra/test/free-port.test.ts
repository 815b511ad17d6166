import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ephemeralPortRange, findFreePort, isPortFree, preferredOrFreePort, probeSpan } from '../free-port.js';

const listening: Server[] = [];

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
    listening.push(server);
  });
}

afterEach(async () => {
  await Promise.all(listening.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('findFreePort', () => {
  it('when asked, then returns a port that can be listened on', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
    await expect(listenOn(port)).resolves.toBeDefined();
  });

  it('when asked many times, then never returns the same port twice and stays below the ephemeral range', async () => {
    const { low } = ephemeralPortRange();
    const ports = await Promise.all(Array.from({ length: 50 }, () => findFreePort()));
    expect(new Set(ports).size).toBe(50);
    if (probeSpan({ low }) !== undefined) for (const port of ports) expect(port).toBeLessThan(low);
  });
});

describe('ephemeralPortRange and probeSpan', () => {
  it('when the kernel file says "32768\\t60999", then probes look in 20000–32767', () => {
    const range = ephemeralPortRange('32768\t60999\n');
    expect(range).toEqual({ low: 32_768, high: 60_999 });
    expect(probeSpan(range)).toEqual({ from: 20_000, to: 32_767 });
  });

  it('when the file is unreadable or garbage, then the Linux default range is assumed', () => {
    expect(ephemeralPortRange('')).toEqual({ low: 32_768, high: 60_999 });
    expect(ephemeralPortRange('x y')).toEqual({ low: 32_768, high: 60_999 });
  });

  it('when the ephemeral range starts too low to leave room below it, then there is no span (port 0 is used)', () => {
    expect(probeSpan({ low: 1_024 })).toBeUndefined();
    expect(probeSpan({ low: 20_500 })).toBeUndefined();
  });
});

describe('isPortFree', () => {
  it('when something listens on the port, then false; after it closes, then true', async () => {
    const port = await findFreePort();
    const server = await listenOn(port);
    expect(await isPortFree(port)).toBe(false);
    await new Promise((resolve) => server.close(resolve));
    expect(await isPortFree(port)).toBe(true);
  });
});

describe('preferredOrFreePort', () => {
  it('when the preferred port is taken, then falls back to another and says so', async () => {
    const taken = await findFreePort();
    await listenOn(taken);
    const choice = await preferredOrFreePort(taken);
    expect(choice.fellBack).toBe(true);
    expect(choice.port).not.toBe(taken);
  });

  it('when the preferred port is free, then keeps it', async () => {
    const port = await findFreePort();
    expect(await preferredOrFreePort(port)).toEqual({ port, fellBack: false });
  });
});
