import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household, OpenInvitation } from '../api/types';
import { AppContext } from '../app-context';
import { MembersSettings } from './members-settings';

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The auth service's member and invitation routes over one household, in memory; returns the calls (method and path). */
function renderMembers(role: Household['role'], open: OpenInvitation[] = []): { calls: string[]; posted: unknown[] } {
  const calls: string[] = [];
  const posted: unknown[] = [];
  const invitations = [...open];
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const path = input instanceof Request ? input.url : input.toString();
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${path}`);
    const base = '/api/auth/v1/households/h1';
    if (path === `${base}/members`) return Promise.resolve(json(200, { members: [{ userId: 'u1', email: 'me@example.org', role: 'owner' }] }));
    if (path === `${base}/invitations` && method === 'POST') {
      const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { email: string };
      posted.push(body);
      const made = { id: `i${invitations.length + 1}`, email: body.email, createdAt: '2026-11-25T10:00:00Z', expiresAt: '2026-12-02T10:00:00Z' };
      invitations.push(made);
      return Promise.resolve(json(201, { ...made, householdId: 'h1', token: 'invitation-token' }));
    }
    if (path === `${base}/invitations`) return Promise.resolve(json(200, { invitations }));
    if (method === 'DELETE' && path.startsWith(`${base}/invitations/`)) {
      invitations.splice(invitations.findIndex((i) => path.endsWith(`/${i.id}`)), 1);
      return Promise.resolve(new Response(null, { status: 204 }));
    }
    return Promise.resolve(json(404, { error: 'not-found', message: 'Not found.' }));
  };
  render(
    <AppContext.Provider value={{ client: new ApiClient(new Session(fetchFn), fetchFn), household: { ...household, role }, reloadHousehold: () => undefined }}>
      <MembersSettings />
    </AppContext.Provider>,
  );
  return { calls, posted };
}

const openEmails = (): string[] => within(screen.getByRole('list', { name: 'Open invitations' })).getAllByRole('listitem').map((li) => li.firstChild?.textContent ?? '');

describe('members settings', () => {
  it('when an owner invites an internationalised address (RFC 6531), then the browser lets it through to the service', async () => {
    const { posted } = renderMembers('owner');
    await userEvent.type(screen.getByLabelText('Invite by email'), 'josé@bücher.example');
    await userEvent.click(screen.getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText('Invitation created.')).toBeDefined();
    expect(posted).toEqual([{ email: 'josé@bücher.example' }]);
  });

  it('when an owner invites, then the open invitations list it beside the earlier one, each until its expiry', async () => {
    renderMembers('owner', [{ id: 'i0', email: 'gran@example.org', createdAt: '2026-11-20T09:00:00Z', expiresAt: '2026-11-27T09:00:00Z' }]);
    await screen.findByRole('list', { name: 'Open invitations' });
    expect(openEmails()).toEqual(['gran@example.org']);
    await userEvent.type(screen.getByLabelText('Invite by email'), 'kid@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Invite' }));
    await screen.findByText('kid@example.org');
    expect(openEmails()).toEqual(['gran@example.org', 'kid@example.org']);
    expect(screen.getByText('kid@example.org').parentElement?.textContent).toMatch(/^kid@example\.orguntil .*2026/);
  });

  it('when an owner withdraws an invitation, then it is deleted at the service and leaves the list', async () => {
    const { calls } = renderMembers('owner', [
      { id: 'i0', email: 'gran@example.org', createdAt: '2026-11-20T09:00:00Z', expiresAt: '2026-11-27T09:00:00Z' },
      { id: 'i9', email: 'typo@exmaple.org', createdAt: '2026-11-21T09:00:00Z', expiresAt: '2026-11-28T09:00:00Z' },
    ]);
    await userEvent.click(await screen.findByRole('button', { name: 'Withdraw the invitation of typo@exmaple.org' }));
    expect(await screen.findByText('Invitation withdrawn: its code no longer works.')).toBeTruthy();
    // The list is read again after the withdrawal is confirmed.
    await waitFor(() => expect(openEmails()).toEqual(['gran@example.org']));
    expect(calls).toContain('DELETE /api/auth/v1/households/h1/invitations/i9');
    await userEvent.click(screen.getByRole('button', { name: 'Withdraw the invitation of gran@example.org' }));
    expect(await screen.findByText('No open invitations.')).toBeTruthy();
  });

  it('when a member (not an owner) looks, then no invitations are asked for or shown', async () => {
    const { calls } = renderMembers('member', [{ id: 'i0', email: 'gran@example.org', createdAt: '2026-11-20T09:00:00Z', expiresAt: '2026-11-27T09:00:00Z' }]);
    await screen.findByText('me@example.org');
    expect(calls).toEqual(['GET /api/auth/v1/households/h1/members']);
    expect(screen.queryByRole('list', { name: 'Open invitations' })).toBeNull();
    expect(screen.queryByText('No open invitations.')).toBeNull();
  });
});
