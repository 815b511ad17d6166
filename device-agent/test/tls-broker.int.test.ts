// The agent over TLS (mqtts:// and wss://) to a broker whose certificate a private CA signed, trusted
// through NODE_EXTRA_CA_CERTS as an operator would do it: the agent runs as a process, because Node
// reads that variable only at start. The password must not cross the network in clear text.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes } from 'aedes';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { spawnService } from '../../lib/process/spawn-service.js';
import { decodeContainer } from '../../proto/container.js';
import { parseAgentTopic } from '../../proto/topics.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { eventually } from './eventually.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A self-signed certificate for localhost; it is its own CA. */
function certificate(dir: string): { key: Buffer; cert: Buffer; certPath: string } {
  const keyPath = `${dir}/broker.key`;
  const certPath = `${dir}/broker.crt`;
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', keyPath, '-out', certPath,
  ], { stdio: 'ignore' });
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}

async function tlsBroker(transport: 'mqtts' | 'wss', tls: { key: Buffer; cert: Buffer }): Promise<{ url: string; agents: Set<string> }> {
  const aedes = await Aedes.createBroker();
  const agents = new Set<string>();
  aedes.on('publish', (packet) => {
    const topic = parseAgentTopic(packet.topic);
    if (topic?.kind === 'readings') agents.add(decodeContainer(packet.payload as Buffer).agentId);
  });
  let server: NetServer;
  if (transport === 'mqtts') {
    server = createTlsServer(tls, (socket) => aedes.handle(socket));
  } else {
    const https = createHttpsServer(tls);
    server = https;
    const wss = new WebSocketServer({ server: https });
    wss.on('connection', (ws) => aedes.handle(createWebSocketStream(ws)));
    cleanups.push(() => {
      for (const ws of wss.clients) ws.terminate();
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => aedes.close(() => resolve())));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: transport === 'mqtts' ? `mqtts://localhost:${port}` : `wss://localhost:${port}/mqtt`, agents };
}

describe('the agent over TLS', () => {
  it.each(['mqtts', 'wss'] as const)('when the broker URL is %s://, then readings arrive over a verified TLS connection', async (transport) => {
    const dir = makeTempDir('agent-tls');
    cleanups.push(() => dir.remove());
    const tls = certificate(dir.path);
    const broker = await tlsBroker(transport, tls);
    const agent = await spawnService({
      name: 'device-agent',
      entry: 'device-agent/main.ts',
      env: {
        NODE_EXTRA_CA_CERTS: tls.certPath,
        EM_AGENT_BROKER_URL: broker.url,
        EM_AGENT_HOUSEHOLD_ID: 'h-0001',
        EM_AGENT_ID: 'a-0001',
        EM_AGENT_PUBLISH_INTERVAL_MS: '1000',
        EM_AGENT_SAMPLE_INTERVAL_MS: '1000',
        EM_AGENT_DATA_DIR: dir.join('agent'),
      },
      readyMessage: 'agent started',
    });
    cleanups.push(() => agent.stop());
    await eventually('a container arrived', () => broker.agents.has('a-0001'), () => [...broker.agents], 15_000);
    expect(broker.agents).toEqual(new Set(['a-0001']));
  });
  it('when the broker\'s certificate is not trusted, then nothing is sent and the agent warns why', async () => {
    const dir = makeTempDir('agent-tls');
    cleanups.push(() => dir.remove());
    const broker = await tlsBroker('mqtts', certificate(dir.path));
    const logFile = dir.join('agent.log');
    const agent = await spawnService({
      name: 'device-agent',
      entry: 'device-agent/main.ts',
      env: { EM_AGENT_BROKER_URL: broker.url, EM_AGENT_HOUSEHOLD_ID: 'h-0001', EM_AGENT_ID: 'a-0001', EM_AGENT_DATA_DIR: dir.join('agent') },
      readyMessage: 'agent started',
      logFile,
    });
    cleanups.push(() => agent.stop());
    const warned = (): boolean => readFileSync(logFile, 'utf8').split('\n').some((line) => line.includes('"level":40') && line.includes('self-signed certificate'));
    await eventually('the agent warned about the certificate', warned, () => readFileSync(logFile, 'utf8'), 15_000);
    expect(broker.agents.size).toBe(0);
  });
});
