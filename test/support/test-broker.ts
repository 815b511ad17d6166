// Starts the real broker in-process on free ports with private journal and dead-letter folders.
// Auth is disabled unless the caller sets EM_BROKER_AUTH=required and passes the auth deps
// (directories, verifier) in `deps` — see broker/test/broker-auth.int.test.ts.
import { createBroker, type BrokerAddresses, type BrokerApp, type BrokerDeps } from '../../broker/app.js';
import { loadBrokerConfig, type BrokerConfig } from '../../broker/config.js';
import { silentLogger } from '../../lib/log.js';
import { makeTempDir } from './temp-dir.js';

export interface TestBroker extends BrokerApp {
  readonly addresses: BrokerAddresses;
  readonly mqttUrl: string;
  readonly config: Readonly<BrokerConfig>;
  /** Stops the broker and removes its folders. */
  dispose(): Promise<void>;
}

export async function startTestBroker(env: Record<string, string> = {}, deps: BrokerDeps = {}): Promise<TestBroker> {
  const dir = makeTempDir('broker');
  const config = loadBrokerConfig({
    EM_BROKER_MQTT_PORT: '0',
    EM_BROKER_WS_PORT: '0',
    EM_BROKER_METRICS_PORT: '0',
    EM_BROKER_JOURNAL_PATH: dir.join('journal'),
    EM_BROKER_DEAD_LETTER_PATH: dir.join('dead-letters'),
    EM_BROKER_AUTH: 'disabled',
    ...env,
  });
  const broker = await createBroker(config, { log: silentLogger(), ...deps });
  const addresses = await broker.start();
  return Object.assign(broker, {
    addresses,
    config,
    mqttUrl: `mqtt://127.0.0.1:${addresses.mqttPort}`,
    async dispose() {
      await broker.stop();
      dir.remove();
    },
  });
}
