import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { MembersSettings } from './members-settings';

const household: Household = { id: 'h1', name: 'Home', timeZone: 'Europe/Berlin', tariff: { kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 }, role: 'owner' };

describe('members settings', () => {
  it('when an owner invites an internationalised address (RFC 6531), then the browser lets it through to the service', async () => {
    const invitations: unknown[] = [];
    const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = input instanceof Request ? input.url : input.toString();
      if (init?.method === 'POST') invitations.push(JSON.parse(init.body as string));
      const body = url.endsWith('/members') ? { members: [] } : { token: 'invitation-token' };
      return Promise.resolve(new Response(JSON.stringify(body), { status: url.endsWith('/invitations') ? 201 : 200, headers: { 'content-type': 'application/json' } }));
    };
    render(
      <AppContext.Provider value={{ client: new ApiClient(new Session(fetchFn), fetchFn), household, reloadHousehold: () => undefined }}>
        <MembersSettings />
      </AppContext.Provider>,
    );
    await userEvent.type(screen.getByLabelText('Invite by email'), 'josé@bücher.example');
    await userEvent.click(screen.getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText('Invitation created.')).toBeDefined();
    expect(invitations).toEqual([{ email: 'josé@bücher.example' }]);
  });
});
