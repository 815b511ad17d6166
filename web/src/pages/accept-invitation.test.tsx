import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { Session } from '../api/session';
import { AcceptInvitation } from './accept-invitation';

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Renders the card as Settings shows it; returns the bodies posted and the onJoined spy. */
function renderJoin(answer: () => Response): { posted: { path: string; body: unknown }[]; onJoined: () => void } {
  const posted: { path: string; body: unknown }[] = [];
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    posted.push({ path: input instanceof Request ? input.url : input.toString(), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    return Promise.resolve(answer());
  };
  const onJoined = vi.fn();
  render(<AcceptInvitation client={new ApiClient(new Session(fetchFn), fetchFn)} onJoined={onJoined} title="Join another household" joinedText="Joined. Switch between your households with the menu at the top." className="card" />);
  return { posted, onJoined };
}

describe('accepting an invitation', () => {
  it('when a code is entered, then it is sent trimmed, the households are read again and it says where to find the new one', async () => {
    const { posted, onJoined } = renderJoin(() => json(200, { householdId: 'h2', role: 'member' }));
    await userEvent.type(screen.getByLabelText('Invitation code'), '  abc123-code {Enter}');
    expect(await screen.findByText('Joined. Switch between your households with the menu at the top.')).toBeTruthy();
    expect(posted).toEqual([{ path: '/api/auth/v1/invitations/accept', body: { token: 'abc123-code' } }]);
    expect(onJoined).toHaveBeenCalledTimes(1);
    expect(screen.getByLabelText<HTMLInputElement>('Invitation code').value).toBe('');
  });

  it('when the service refuses the code, then its reason is shown and nothing is reloaded', async () => {
    const { onJoined } = renderJoin(() => json(404, { error: 'not-found', message: 'no open invitation with this token for your email address' }));
    await userEvent.type(screen.getByLabelText('Invitation code'), 'wrong{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('no open invitation with this token for your email address');
    expect(onJoined).not.toHaveBeenCalled();
    expect(screen.queryByText(/Joined/)).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('Invitation code').value).toBe('wrong');
  });
});
