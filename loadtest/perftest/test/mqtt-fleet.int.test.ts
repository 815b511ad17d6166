import { describe, expect, it } from 'vitest';
import { startTcpProxy } from '../../../test/support/tcp-proxy.js';
import { startTestBroker } from '../../../test/support/test-broker.js';
import { connectFleet } from '../mqtt-fleet.js';

const events = (signal = new AbortController().signal) => ({ signal, onSent: () => undefined, onAck: () => undefined });

describe('perftest MQTT fleet', () => {
  it('when 5 agents share 2 connections in a closed loop, then every agent publishes and all are acknowledged', async () => {
    const broker = await startTestBroker();
    try {
      const fleet = await connectFleet({ brokerUrl: broker.mqttUrl, agents: 5, connections: 2, rate: 0, readings: 3, qos: 1, payloadBytes: 300, durationMs: 500, window: 4, householdPrefix: 'fleet-ok' });
      const result = await fleet.run(events());
      await fleet.close();
      expect(result.acked).toBe(result.sent);
      expect(result.acked).toBeGreaterThanOrEqual(5);
      expect(result.failed).toBe(0);
    } finally {
      await broker.dispose();
    }
  });

  it('when the connection to the broker is cut mid-run, then the run still ends and counts the failed publishes instead of crashing', async () => {
    const broker = await startTestBroker();
    const proxy = await startTcpProxy(broker.addresses.mqttPort);
    try {
      const fleet = await connectFleet({ brokerUrl: `mqtt://127.0.0.1:${proxy.port}`, agents: 2, connections: 2, rate: 0, readings: 3, qos: 1, payloadBytes: 0, durationMs: 3000, window: 8, householdPrefix: 'fleet-cut' });
      const run = fleet.run(events());
      await new Promise((r) => setTimeout(r, 300));
      await proxy.cut();
      const result = await run;
      await fleet.close();
      expect(result.acked).toBeGreaterThan(0);
      expect(result.failed).toBeGreaterThan(0);
    } finally {
      await proxy.close();
      await broker.dispose();
    }
  });

  it('when aborted, then an open-loop run stops before its duration', async () => {
    const broker = await startTestBroker();
    try {
      const fleet = await connectFleet({ brokerUrl: broker.mqttUrl, agents: 1, connections: 1, rate: 50, readings: 1, qos: 0, payloadBytes: 0, durationMs: 60_000, window: 4, householdPrefix: 'fleet-abort' });
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 200);
      const result = await fleet.run(events(stop.signal));
      await fleet.close();
      expect(result.elapsedMs).toBeLessThan(60_000);
      expect(result.acked).toBe(result.sent);
    } finally {
      await broker.dispose();
    }
  });
});
