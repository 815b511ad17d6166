import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { LeaveHousehold } from './leave-household';

const home: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'member' };
const members = [
  { userId: '00000000-0000-4000-8000-000000000001', email: 'owner@example.com', displayName: 'Olga', role: 'owner' },
  { userId: '00000000-0000-4000-8000-000000000002', email: 'me@example.com', displayName: 'Max', role: 'member' },
];

function json(body: unknown, status = 200): Response {
  return status === 204 ? new Response(null, { status }) : new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function renderAs(household: Household, deleteAnswer: Response): { calls: string[]; reloads: number[] } {
  const calls: string[] = [];
  const reloads: number[] = [];
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    if (init?.method === 'DELETE') return Promise.resolve(deleteAnswer);
    return Promise.resolve(url.endsWith('/v1/me') ? json({ subject: 'me', email: 'me@example.com', role: 'user' }) : json({ members }));
  };
  render(
    <AppContext.Provider value={{ client: new ApiClient(new Session(fetchFn), fetchFn), household, reloadHousehold: () => reloads.push(1) }}>
      <LeaveHousehold />
    </AppContext.Provider>,
  );
  return { calls, reloads };
}

afterEach(() => window.history.replaceState(null, '', '/'));

describe('leaving a household', () => {
  it('when a member confirms, then their own membership is deleted, the households reload and the app goes home', async () => {
    window.history.replaceState(null, '', '/settings');
    const { calls, reloads } = renderAs(home, json(null, 204));
    await userEvent.click(screen.getByRole('button', { name: 'Leave household' }));
    expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Yes, leave' }));
    await waitFor(() => expect(reloads).toEqual([1]));
    expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE /api/auth/v1/households/h1/members/00000000-0000-4000-8000-000000000002']);
    expect(window.location.pathname).toBe('/');
  });

  it('when the member cancels, then nothing is called', async () => {
    const { calls } = renderAs(home, json(null, 204));
    await userEvent.click(screen.getByRole('button', { name: 'Leave household' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Leave household' })).toBeTruthy();
    expect(calls).toEqual([]);
  });

  it('when the service refuses, then its message shows inline and the app stays on the page', async () => {
    window.history.replaceState(null, '', '/settings');
    const { reloads } = renderAs(home, json({ error: 'last-owner', message: 'the only owner cannot leave or be removed' }, 409));
    await userEvent.click(screen.getByRole('button', { name: 'Leave household' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, leave' }));
    expect((await screen.findByRole('alert')).textContent).toBe('the only owner cannot leave or be removed');
    expect(reloads).toEqual([]);
    expect(window.location.pathname).toBe('/settings');
  });

  it('when the user owns the household, then there is no leave button', () => {
    const { calls } = renderAs({ ...home, role: 'owner' }, json(null, 204));
    expect(screen.queryByRole('button', { name: 'Leave household' })).toBeNull();
    expect(calls).toEqual([]);
  });
});
