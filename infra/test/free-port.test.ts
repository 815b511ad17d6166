import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort, isPortFree, preferredOrFreePort } from '../free-port.js';

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
