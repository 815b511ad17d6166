import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { AddAgent } from './add-agent';
import { AgentCard } from './agent-card';
import { DevicesPage } from './devices-page';

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function renderWith(ui: ReactNode, answer: (url: string, init?: RequestInit) => Response, as: Household = household): void {
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => Promise.resolve(answer(input instanceof Request ? input.url : input.toString(), init));
  const client = new ApiClient(new Session(fetchFn), fetchFn);
  render(<AppContext.Provider value={{ client, household: as, reloadHousehold: () => undefined }}>{ui}</AppContext.Provider>);
}

describe('devices', () => {
  it('when an agent is added, then its one-time credentials and the command for the Pi are shown', async () => {
    const command = "cd '/opt/energymonitor' && env EM_AGENT_ID='a-1' EM_AGENT_PASSWORD='s3cret' npx tsx device-agent/main.ts";
    let body: unknown;
    renderWith(<AddAgent onAdded={() => undefined} />, (url, init) => {
      body = JSON.parse(init?.body as string);
      expect(url).toBe('/api/auth/v1/households/h1/agents');
      return json(201, { agentId: 'a-1', householdId: 'h1', username: 'a-1', password: 's3cret', mqttUrl: 'mqtt://x:1883', provisioningCommand: command, name: 'Kitchen Pi' });
    });
    await userEvent.type(screen.getByLabelText('Name (optional)'), 'Kitchen Pi');
    await userEvent.click(screen.getByRole('button', { name: 'Add agent' }));
    expect((await screen.findByTestId('provisioning-command')).textContent).toBe(command);
    expect(screen.getByText('s3cret')).toBeTruthy();
    expect(body).toEqual({ name: 'Kitchen Pi' });
  });

  it('when a second agent is added before the first one’s credentials were saved, then both stay shown until each is dismissed', async () => {
    let n = 0;
    renderWith(<AddAgent onAdded={() => undefined} />, () => {
      n += 1;
      return json(201, { agentId: `a-${n}`, householdId: 'h1', username: `a-${n}`, password: `secret-${n}`, mqttUrl: 'mqtt://x:1883', provisioningCommand: `run a-${n}`, name: `Pi ${n}` });
    });
    await userEvent.type(screen.getByLabelText('Name (optional)'), 'Pi 1');
    await userEvent.click(screen.getByRole('button', { name: 'Add agent' }));
    await screen.findByRole('region', { name: 'Credentials of agent Pi 1' });
    await userEvent.type(screen.getByLabelText('Name (optional)'), 'Pi 2');
    await userEvent.click(screen.getByRole('button', { name: 'Add agent' }));
    await screen.findByRole('region', { name: 'Credentials of agent Pi 2' });
    expect(screen.getAllByTestId('provisioning-command').map((c) => c.textContent)).toEqual(['run a-2', 'run a-1']);
    expect(screen.getByText('secret-1')).toBeTruthy();
    await userEvent.click(within(screen.getByRole('region', { name: 'Credentials of agent Pi 2' })).getByRole('button', { name: 'I have saved them' }));
    expect(screen.queryByText('secret-2')).toBeNull();
    expect(screen.getByText('secret-1')).toBeTruthy();
  });

  it('when no name is given, then the form says it is optional and the agent is registered without one, as the auth API allows', async () => {
    let body: unknown;
    renderWith(<AddAgent onAdded={() => undefined} />, (_url, init) => {
      body = JSON.parse(init?.body as string);
      return json(201, { agentId: 'a-7', householdId: 'h1', username: 'a-7', password: 'pw', mqttUrl: 'mqtt://x', provisioningCommand: 'run a-7', name: '' });
    });
    expect(screen.getByLabelText('Name (optional)').getAttribute('aria-describedby')).toBe('add-agent-name-hint');
    expect(screen.getByText(/without one, the agent is listed by its id/)).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Name (optional)'), '   ');
    await userEvent.click(screen.getByRole('button', { name: 'Add agent' }));
    expect(await screen.findByRole('heading', { name: 'Agent “a-7” is ready' })).toBeTruthy();
    expect(body).toEqual({});
  });

  it('when the household has as many agents as it may have, then the service’s explanation shows and no credentials', async () => {
    // The auth service's own words for quota-exceeded (services/auth/use-cases/quotas.ts), written to be shown as they are.
    const message = 'This household already has 16 agents, the most it may have. Revoke an agent it no longer uses to add another.';
    renderWith(<AddAgent onAdded={() => undefined} />, () => json(409, { error: 'quota-exceeded', message, details: [{ quota: 'agents-per-household', limit: 16 }] }));
    await userEvent.click(screen.getByRole('button', { name: 'Add agent' }));
    expect((await screen.findByRole('alert')).textContent).toBe(message);
    expect(screen.queryByTestId('provisioning-command')).toBeNull();
  });

  it('when the read service is unavailable, then the page says so and offers a retry', async () => {
    renderWith(<DevicesPage />, () => json(503, { error: 'influx-unavailable', message: 'InfluxDB cannot be reached; retry later' }));
    expect((await screen.findAllByRole('alert'))[0]?.textContent).toContain('InfluxDB cannot be reached');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('when the household has no agents, then the empty state explains the next step', async () => {
    renderWith(<DevicesPage />, (url) => (url.includes('/completeness') ? json(200, { householdId: 'h1', timeZone: 'Europe/Berlin', agents: [] }) : json(200, { householdId: 'h1', timeZone: 'Europe/Berlin', agents: [] })));
    expect(await screen.findByText(/No agents yet/)).toBeTruthy();
  });

  it('when an owner asks for a new secret, then the new command is shown once and the call names the agent', async () => {
    const calls: string[] = [];
    renderWith(
      <AgentCard agent={{ id: 'a-1', name: 'Pi', revoked: false, lastSeen: null, online: false, reportedStatus: null, devices: [] }} nowMs={0} onChanged={() => undefined} />,
      (url, init) => {
        calls.push(`${init?.method ?? 'GET'} ${url}`);
        return json(200, { agentId: 'a-1', householdId: 'h1', username: 'a-1', password: 'n3w', mqttUrl: 'mqtt://x', provisioningCommand: "cd '/opt' && env EM_AGENT_PASSWORD='n3w' npx tsx device-agent/main.ts" });
      },
    );
    await userEvent.click(screen.getByRole('button', { name: 'New secret and command' }));
    // Nothing is replaced before the owner confirms: a running agent is cut off at once.
    expect(screen.getByText(/a running agent is cut off until it is started with the new command/)).toBeTruthy();
    expect(calls).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Yes, new secret' }));
    expect((await screen.findByTestId('provisioning-command')).textContent).toContain("EM_AGENT_PASSWORD='n3w'");
    expect(calls).toEqual(['POST /api/auth/v1/households/h1/agents/a-1/rotate']);
  });

  it('when an owner cancels the new secret, then nothing is sent and the button is back', async () => {
    const calls: string[] = [];
    renderWith(<AgentCard agent={{ id: 'a-1', name: 'Pi', revoked: false, lastSeen: null, online: true, reportedStatus: null, devices: [] }} nowMs={0} onChanged={() => undefined} />, (url) => {
      calls.push(url);
      return json(500, {});
    });
    await userEvent.click(screen.getByRole('button', { name: 'New secret and command' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'New secret and command' })).toBeTruthy();
    expect(calls).toEqual([]);
  });

  it('when a member opens Devices, then agents show without add, new-secret or revoke controls, and a note says only owners manage agents', async () => {
    const agents = { householdId: 'h1', timeZone: 'Europe/Berlin', agents: [{ id: 'a-1', name: 'Pi', revoked: false, lastSeen: null, online: true, reportedStatus: null, devices: [{ id: 'fridge', lastSeen: null, online: true }] }] };
    renderWith(<DevicesPage />, (url) => json(200, url.includes('/completeness') ? { householdId: 'h1', timeZone: 'Europe/Berlin', agents: [] } : agents), { ...household, role: 'member' });
    expect(await screen.findByRole('article', { name: 'Agent Pi' })).toBeTruthy();
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect(screen.getByText(/only its owners add agents, issue new secrets and revoke agents/)).toBeTruthy();
  });

  it('when a member sees a household without agents, then the empty state does not tell them to add one', async () => {
    renderWith(<DevicesPage />, () => json(200, { householdId: 'h1', timeZone: 'Europe/Berlin', agents: [] }), { ...household, role: 'member' });
    expect(await screen.findByText('No agents yet. An owner of the household adds them.')).toBeTruthy();
  });
});
