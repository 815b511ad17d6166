// A TCP proxy on a free loopback port whose current connections a test can black-hole: bytes stop
// flowing both ways but neither end is told (no FIN, no RST), as when a NAT entry expires or Wi-Fi
// drops behind a router. Only a keep-alive timeout notices. New connections pass normally.
import { createConnection, createServer, type Socket } from 'node:net';

export interface BlackholeProxy {
  readonly port: number;
  readonly url: string;
  /** Silently stops forwarding on every connection open now. */
  blackhole(): void;
  close(): Promise<void>;
}

export async function startBlackholeProxy(targetPort: number): Promise<BlackholeProxy> {
  const links = new Set<{ black: boolean; sockets: Socket[] }>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const link = { black: false, sockets: [client, upstream] };
    links.add(link);
    client.on('data', (data) => link.black || upstream.write(data));
    upstream.on('data', (data) => link.black || client.write(data));
    for (const socket of link.sockets) {
      socket.on('error', () => undefined);
      // A black-holed link says nothing to the other end when one end closes.
      socket.on('close', () => {
        if (!link.black) for (const other of link.sockets) other.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    blackhole() {
      for (const link of links) link.black = true;
    },
    async close() {
      for (const link of links) for (const socket of link.sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
