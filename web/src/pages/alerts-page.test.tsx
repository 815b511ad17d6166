import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert, AlertRule } from '../api/alerts-types';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext, useApp } from '../app-context';
import { announceFiringCount, useFiringCount } from '../hooks/use-firing-count';
import { AlertsList, ALERTS_REFRESH_MS } from './alerts-list';
import { AlertsPage } from './alerts-page';

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };
const json = (status: number, body: unknown): Response => new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const H = '/api/alerts/v1/households/h1';

const firing: Alert = {
  id: '00000000-0000-4000-8000-000000000001',
  householdId: 'h1',
  ruleId: '00000000-0000-4000-8000-0000000000a1',
  ruleName: 'Oven left on',
  kind: 'power-above',
  deviceId: 'oven',
  state: 'firing',
  value: 2350,
  unit: 'W',
  threshold: 2000,
  resolvedValue: null,
  startedAt: '2026-03-28T12:00:10.000Z',
  resolvedAt: null,
};
const resolved: Alert = { ...firing, id: '00000000-0000-4000-8000-000000000002', ruleName: 'Fridge quiet', kind: 'device-silent', deviceId: 'fridge', state: 'resolved', value: 900, unit: 's', threshold: 900, resolvedValue: 0, resolvedAt: '2026-03-28T13:00:00.000Z' };
const meta = { householdId: 'h1', createdAt: '2026-03-28T10:00:00.000Z', updatedAt: '2026-03-28T10:00:00.000Z' };
const ovenRule: AlertRule = { ...meta, id: '00000000-0000-4000-8000-0000000000a1', kind: 'power-above', name: 'Oven left on', enabled: true, deviceId: 'oven', thresholdW: 2000, forSeconds: 90 };
const bigDay: AlertRule = { ...meta, id: '00000000-0000-4000-8000-0000000000a2', kind: 'daily-energy-above', name: 'Big day', enabled: true, thresholdKwh: 25 };
const devices = { householdId: 'h1', timeZone: 'Europe/Berlin', agents: [{ id: 'a1', name: 'Pi', revoked: false, lastSeen: null, online: true, reportedStatus: null, devices: [{ id: 'oven', lastSeen: null, online: true }, { id: 'fridge', lastSeen: null, online: true }] }] };

interface Call {
  method: string;
  url: string;
  body: unknown;
}

/** Renders with a fetch that records calls; `answer` may override any route, the rest get a plain household. */
function renderWith(ui: ReactNode, answer: (call: Call) => Response | undefined = () => undefined, as: { household?: Household; session?: Session } = {}): Call[] {
  const calls: Call[] = [];
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call = { method: init?.method ?? 'GET', url: input instanceof Request ? input.url : String(input), body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined };
    calls.push(call);
    return Promise.resolve(answer(call) ?? standard(call));
  };
  const client = new ApiClient(as.session ?? new Session(fetchFn), fetchFn);
  render(<AppContext.Provider value={{ client, household: as.household ?? household, reloadHousehold: () => undefined }}>{ui}</AppContext.Provider>);
  return calls;
}

function standard({ method, url, body }: Call): Response {
  if (url.startsWith(`${H}/alerts?state=firing`)) return json(200, { alerts: [firing] });
  if (url.startsWith(`${H}/alerts?state=resolved`)) return json(200, { alerts: [resolved] });
  if (url === `${H}/alert-rules` && method === 'GET') return json(200, { rules: [ovenRule, bigDay] });
  if (url === `${H}/alert-rules` && method === 'POST') return json(201, { ...meta, id: '00000000-0000-4000-8000-0000000000a3', ...(body as object) });
  if (url.startsWith(`${H}/alert-rules/`) && method === 'PUT') return json(200, { ...ovenRule, ...(body as object) });
  if (url.startsWith(`${H}/alert-rules/`) && method === 'DELETE') return json(204, undefined);
  if (url === `${H}/alert-webhook` && method === 'GET') return json(404, { error: 'webhook-not-configured', message: 'no webhook' });
  if (url === '/api/read/v1/households/h1/devices') return json(200, devices);
  return json(500, { error: 'unexpected', message: `${method} ${url}` });
}

afterEach(() => vi.useRealTimers());

describe('alerts page', () => {
  it('when alerts fire, then they are listed on top with value against threshold and device; resolved ones and the rules below', async () => {
    renderWith(<AlertsPage />);
    const firingList = await screen.findByRole('list', { name: 'Firing alerts' });
    expect(firingList.textContent).toContain('Oven left on');
    expect(firingList.textContent).toContain('device oven');
    expect(firingList.textContent).toContain('Power 2.35 kW');
    expect(firingList.textContent).toContain('(threshold 2.00 kW)');
    expect(firingList.querySelector('time')?.getAttribute('dateTime')).toBe('2026-03-28T12:00:10.000Z');
    const resolvedList = screen.getByRole('list', { name: 'Resolved alerts' });
    expect(resolvedList.textContent).toContain('Silent for 15 minutes');
    const rules = await screen.findByRole('list', { name: 'Alert rules' });
    expect(rules.textContent).toContain('Above 2.00 kW for 1.5 minutes, device oven');
    expect(rules.textContent).toContain('More than 25.00 kWh in a day');
  });

  it('when a power rule is added in minutes for a device, then the API gets seconds and that device', async () => {
    const calls = renderWith(<AlertsPage />);
    const form = await screen.findByRole('form', { name: 'Add a rule' });
    const field = (label: string): HTMLElement => within(form).getByLabelText(label);
    await userEvent.clear(field('Name'));
    await userEvent.type(field('Name'), 'Kettle');
    await userEvent.selectOptions(field('Device'), 'fridge');
    await userEvent.clear(field('Above (W)'));
    await userEvent.type(field('Above (W)'), '1500');
    await userEvent.clear(field('For (minutes)'));
    await userEvent.type(field('For (minutes)'), '2.5');
    await userEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    expect(await within(form).findByText('Rule added.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ kind: 'power-above', name: 'Kettle', enabled: true, deviceId: 'fridge', thresholdW: 1500, forSeconds: 150 });
  });

  it('when a silent-device or daily-energy rule is added, then each sends its own fields (any device = no deviceId)', async () => {
    const calls = renderWith(<AlertsPage />);
    const form = await screen.findByRole('form', { name: 'Add a rule' });
    await userEvent.click(within(form).getByRole('button', { name: 'Device silent' }));
    expect(within(form).getByLabelText<HTMLSelectElement>('Device').value).toBe('');
    expect(within(form).getByRole('option', { name: 'Any device' })).toBeTruthy();
    await userEvent.clear(within(form).getByLabelText('Silent for (minutes)'));
    await userEvent.type(within(form).getByLabelText('Silent for (minutes)'), '30');
    await userEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    await within(form).findByText('Rule added.');
    await userEvent.click(within(form).getByRole('button', { name: 'Daily energy above' }));
    expect(within(form).queryByLabelText('Device')).toBeNull();
    await userEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    await within(form).findByText('Rule added.');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { kind: 'device-silent', name: 'Device silent', enabled: true, silentSeconds: 1800 },
      { kind: 'daily-energy-above', name: 'Big day', enabled: true, thresholdKwh: 20 },
    ]);
  });

  it('when the form is not valid, then each field says why, next to it, and nothing is sent', async () => {
    const calls = renderWith(<AlertsPage />);
    const form = await screen.findByRole('form', { name: 'Add a rule' });
    await userEvent.clear(within(form).getByLabelText('Name'));
    await userEvent.clear(within(form).getByLabelText('Above (W)'));
    await userEvent.type(within(form).getByLabelText('Above (W)'), '0');
    await userEvent.clear(within(form).getByLabelText('For (minutes)'));
    await userEvent.type(within(form).getByLabelText('For (minutes)'), '20000');
    await userEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    expect(within(form).getByRole('alert').textContent).toBe('Please correct the marked fields.');
    const threshold = within(form).getByLabelText('Above (W)');
    expect(threshold.getAttribute('aria-invalid')).toBe('true');
    expect(threshold.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent)).toEqual(['The threshold must be more than 0 W.']);
    expect(within(form).getByText('Give the rule a name.')).toBeTruthy();
    expect(within(form).getByText('At most 7 days (10080 minutes).')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it("when the alerts service answers 400, then its message shows next to the field it names", async () => {
    renderWith(<AlertsPage />, ({ method }) => (method === 'POST' ? json(400, { error: 'invalid-request', message: 'body.thresholdW: Too big: expected number to be <=1000000; body: something else' }) : undefined));
    const form = await screen.findByRole('form', { name: 'Add a rule' });
    await userEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('The alerts service refused the rule: body: something else');
    expect(within(form).getByText('Too big: expected number to be <=1000000')).toBeTruthy();
    expect(within(form).getByLabelText('Above (W)').getAttribute('aria-invalid')).toBe('true');
  });

  it('when a rule is edited, then the form shows minutes and the PUT carries seconds', async () => {
    const calls = renderWith(<AlertsPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Oven left on' }));
    const form = screen.getByRole('form', { name: 'Edit “Oven left on”' });
    expect(within(form).getByLabelText<HTMLInputElement>('For (minutes)').value).toBe('1.5');
    expect(within(form).getByLabelText<HTMLSelectElement>('Device').value).toBe('oven');
    await userEvent.clear(within(form).getByLabelText('For (minutes)'));
    await userEvent.type(within(form).getByLabelText('For (minutes)'), '0.5');
    await userEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    await screen.findByRole('button', { name: 'Edit Oven left on' });
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.url).toBe(`${H}/alert-rules/${ovenRule.id}`);
    expect(put?.body).toEqual({ kind: 'power-above', name: 'Oven left on', enabled: true, deviceId: 'oven', thresholdW: 2000, forSeconds: 30 });
  });

  it('when a rule is switched off and another deleted (after confirming), then PUT enabled=false and DELETE', async () => {
    const calls = renderWith(<AlertsPage />);
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Enabled: Oven left on' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete Big day' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await userEvent.click(within(screen.getByRole('group', { name: 'Delete Big day?' })).getByRole('button', { name: 'Yes, delete' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.body).toMatchObject({ enabled: false, forSeconds: 90 });
    expect(calls.find((c) => c.method === 'DELETE')?.url).toBe(`${H}/alert-rules/${bigDay.id}`);
  });

  it('when the alerts service is unavailable, then the page says so and offers a retry', async () => {
    renderWith(<AlertsPage />, ({ url }) => (url.startsWith('/api/alerts') ? json(503, { error: 'upstream-unavailable', message: 'the alerts service cannot be reached right now; retry shortly' }) : undefined));
    const errors = await screen.findAllByRole('alert');
    expect(errors[0]?.textContent).toContain('the alerts service cannot be reached');
    expect(screen.getAllByRole('button', { name: 'Retry' }).length).toBe(3);
  });

  it('when this installation has no alerts service, then the page says so once in a plain sentence, naming no variable', async () => {
    renderWith(<AlertsPage />, ({ url }) => (url.startsWith('/api/alerts') ? json(503, { error: 'alerts-not-configured', message: 'alerts not configured: set EM_WEB_ALERTS_URL' }) : undefined));
    expect(await screen.findByText('Alerts are not available on this installation.')).toBeTruthy();
    expect(document.body.textContent).not.toContain('EM_WEB_ALERTS_URL');
    expect(screen.queryAllByRole('button', { name: 'Retry' })).toEqual([]);
    expect(screen.queryAllByRole('alert')).toEqual([]);
  });

  it('when 30 s pass, then the alert list is read again', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const calls = renderWith(<AlertsList refreshKey={0} />);
    await screen.findByRole('list', { name: 'Firing alerts' });
    const reads = (): number => calls.filter((c) => c.url.includes('state=firing')).length;
    expect(reads()).toBe(1);
    act(() => {
      vi.advanceTimersByTime(ALERTS_REFRESH_MS);
    });
    await vi.waitFor(() => expect(reads()).toBe(2));
  });
});

describe('alerts page for members', () => {
  const member: Household = { ...household, role: 'member' };
  const webhook = { householdId: 'h1', url: 'https://hooks.example.org/energy', enabled: true, secretHint: 'x7Qa', updatedAt: '2026-03-28T10:00:00.000Z' };
  const withWebhook = ({ url }: Call): Response | undefined => (url === `${H}/alert-webhook` ? json(200, webhook) : undefined);

  it('when a member opens Alerts, then alerts, rules and the webhook show without controls that change them, and a note says why', async () => {
    const calls = renderWith(<AlertsPage />, withWebhook, { household: member });
    expect((await screen.findByRole('list', { name: 'Firing alerts' })).textContent).toContain('Oven left on');
    const rules = await screen.findByRole('list', { name: 'Alert rules' });
    expect(rules.textContent).toContain('Big day');
    expect(within(rules).queryAllByRole('button')).toEqual([]);
    expect(within(rules).queryAllByRole('checkbox')).toEqual([]);
    expect(screen.queryByRole('form', { name: 'Add a rule' })).toBeNull();
    expect((await screen.findByText('https://hooks.example.org/energy')).tagName).toBe('DD');
    expect(screen.getByText('ends in “x7Qa”')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Webhook settings' })).toBeNull();
    for (const name of ['Save webhook', 'Remove webhook', 'Send test']) expect(screen.queryByRole('button', { name })).toBeNull();
    expect(screen.getByText(/only its owners add, change or delete alert rules and set, remove or test the webhook/)).toBeTruthy();
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(calls.some((c) => c.url.startsWith('/api/read/'))).toBe(false);
  });

  it('when a member with no webhook set opens Alerts, then it says so, and no rule advice tells them to add one', async () => {
    renderWith(<AlertsPage />, ({ url, method }) => (url === `${H}/alert-rules` && method === 'GET' ? json(200, { rules: [] }) : undefined), { household: member });
    expect(await screen.findByText('No webhook is set.')).toBeTruthy();
    expect(await screen.findByText('No rules yet.')).toBeTruthy();
  });

  it('when an admin is only a member of the household, then they get the controls (admins act as owners)', async () => {
    const payload = btoa(JSON.stringify({ sub: 'u1', roles: ['admin'] })).replace(/=+$/, '');
    const session = new Session(() => Promise.resolve(json(200, { accessToken: `e30.${payload}.sig`, expiresInS: 900 })));
    await session.login('ops@example.org', 'pw');
    renderWith(<AlertsPage />, withWebhook, { household: member, session });
    expect(await screen.findByRole('form', { name: 'Add a rule' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Save webhook' })).toBeTruthy();
    expect(screen.queryByText(/You are a member of this household/)).toBeNull();
  });
});

describe('alerts page accessibility', () => {
  it('when everything is shown (an alert firing, rules, the add form with errors), then axe finds no violations', async () => {
    const { default: axe } = await import('axe-core');
    renderWith(<AlertsPage />);
    const form = await screen.findByRole('form', { name: 'Add a rule' });
    await screen.findByRole('list', { name: 'Firing alerts' });
    await screen.findByLabelText('URL');
    await userEvent.clear(within(form).getByLabelText('Name'));
    await userEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    // jsdom has no layout: contrast is checked in Chromium (test/e2e).
    const result = await axe.run(document.body, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});

function Badge(): ReactNode {
  const { client, household: h } = useApp();
  const count = useFiringCount(client, h.id);
  return <output aria-label="firing">{count === undefined ? 'unknown' : count}</output>;
}

describe('firing count on the nav item', () => {
  it('when alerts fire, then the count shows; when the Alerts page reads a new list, then it follows at once', async () => {
    renderWith(<Badge />);
    await vi.waitFor(() => expect(screen.getByLabelText('firing').textContent).toBe('1'));
    act(() => announceFiringCount('h1', 3));
    expect(screen.getByLabelText('firing').textContent).toBe('3');
    act(() => announceFiringCount('other-household', 7));
    expect(screen.getByLabelText('firing').textContent).toBe('3');
  });

  it('when the alerts service cannot be asked, then the count is unknown (the badge hides)', async () => {
    const calls = renderWith(<Badge />, () => json(503, { error: 'alerts-not-configured', message: 'alerts not configured' }));
    await vi.waitFor(() => expect(calls.length).toBeGreaterThan(0));
    expect(screen.getByLabelText('firing').textContent).toBe('unknown');
  });
});
