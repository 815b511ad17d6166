import { describe, expect, it } from 'vitest';
import { loadBrokerConfig } from '../../../broker/config.js';
import { loadAuthConfig } from '../../auth/config.js';
import { loadReadConfig } from '../../read/config.js';
import { loadWriteConfig } from '../../write/config.js';
import { loadWebConfig } from '../../../web/server/config.js';
import { MAX_TIMER_MS } from '../../../lib/config/load-config.js';
import { loadAlertsConfig } from '../config.js';

describe('alerts config', () => {
  it('when nothing is set, then the service listens on 8084 with metrics on 9107, as npm start runs it', () => {
    expect(loadAlertsConfig({})).toMatchObject({ host: '127.0.0.1', port: 8084, metricsPort: 9107 });
  });

  it("when every process starts with its defaults on one machine, then no other process's default port is the alerts service's", () => {
    // 8083 was the broker's MQTT-over-WebSocket port and 9105 another process's metrics port.
    const broker = loadBrokerConfig({ EM_BROKER_AUTH: 'disabled' });
    const taken = [
      broker.mqttPort,
      broker.wsPort,
      broker.metricsPort,
      loadWriteConfig({}).metricsPort,
      ...[loadReadConfig({}), loadAuthConfig({ EM_AUTH_DATABASE_URL: 'postgres://127.0.0.1/x' }), loadWebConfig({})].flatMap((c) => [c.port, c.metricsPort]),
    ];
    const alerts = loadAlertsConfig({});
    expect(taken).not.toContain(alerts.port);
    expect(taken).not.toContain(alerts.metricsPort);
    expect(alerts.port).not.toBe(alerts.metricsPort);
  });

  // Node waits at most 2^31 − 1 ms and fires a longer timer after 1 ms: the evaluator would tick
  // and reload rules in a busy loop, and every webhook or InfluxDB request would time out at once.
  it.each(['EM_ALERTS_TICK_MS', 'EM_ALERTS_RULES_REFRESH_MS', 'EM_ALERTS_WEBHOOK_POLL_MS', 'EM_ALERTS_WEBHOOK_TIMEOUT_MS', 'EM_ALERTS_INFLUX_TIMEOUT_MS'])(
    'when %s is longer than a Node timer can wait, then it is refused at start, naming the variable',
    (variable) => {
      expect(() => loadAlertsConfig({ [variable]: String(MAX_TIMER_MS + 1) })).toThrow(new RegExp(`${variable}: must be at most ${MAX_TIMER_MS}`));
      expect(loadAlertsConfig({ [variable]: String(MAX_TIMER_MS) })).toBeDefined();
    },
  );

  it('when EM_ALERTS_HOST is empty, then it is refused at start: Node would listen on every interface', () => {
    expect(() => loadAlertsConfig({ EM_ALERTS_HOST: '' })).toThrow(/EM_ALERTS_HOST/);
  });
});
