// Saving the webhook URL as a deployment that refuses private addresses (the default) runs it:
// what the delivery would refuse without asking DNS is refused when saved, saying why. (With
// EM_ALERTS_WEBHOOK_ALLOW_PRIVATE=true, as in the other alerts tests, such URLs are saved.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertsFixture, type AlertsFixture } from './support/alerts-fixture.js';

let f: AlertsFixture;

beforeAll(async () => {
  f = await startAlertsFixture({ EM_ALERTS_WEBHOOK_ALLOW_PRIVATE: 'false' });
});

afterAll(async () => {
  await f?.close();
});

describe('alerts webhook URL (private addresses refused)', () => {
  it('when an owner saves a URL of a loopback, private or link-local address or a localhost name, then 400 says why and nothing is stored', async () => {
    // Acceptance report: such URLs were saved, and only "Send test" said the delivery refuses them.
    const { token } = await f.addHousehold('h-url');
    const refused: [url: string, why: string][] = [
      ['http://127.0.0.1:8086/query?q=DROP+DATABASE+energymonitor', '127.0.0.1 is a loopback address'],
      ['http://2130706433:8086/', '127.0.0.1 is a loopback address'],
      ['http://[::ffff:127.0.0.1]/', 'is a loopback address'],
      ['http://[::1]/hook', '::1 is a loopback address'],
      ['https://192.168.1.20/hook', '192.168.1.20 is a private address'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
      ['http://localhost:3000/hook', 'localhost always means the server itself'],
      ['http://influx.localhost/', 'influx.localhost always means the server itself'],
    ];
    for (const [url, why] of refused) {
      const answer = await f.api('PUT', '/v1/households/h-url/alert-webhook', token, { url });
      expect(answer.status, url).toBe(400);
      expect(answer.json, url).toMatchObject({ error: 'invalid-request', message: expect.stringMatching(new RegExp(`^body\\.url: .*${why.replaceAll('.', '\\.')}`)) as string });
    }
    expect((await f.api('GET', '/v1/households/h-url/alert-webhook', token)).status).toBe(404);
  });

  it('when an owner saves a public address or a name, then it is saved; a name is checked when the delivery connects', async () => {
    const { token } = await f.addHousehold('h-url-ok');
    for (const url of ['https://93.184.216.34/hook', 'https://hooks.example.org/energy']) {
      const answer = await f.api('PUT', '/v1/households/h-url-ok/alert-webhook', token, { url });
      expect(answer.status, url).toBe(200);
      expect(answer.json).toMatchObject({ url });
    }
  });
});
