// Logging out, truthfully: the page shows the login form only once the server confirmed that the
// session cookie is cleared (Session.logout). Otherwise the session goes on and we say why, since
// a reload would bring it back (a shared phone must not look logged out when it is not).
import { useState } from 'react';
import { messageOf } from '../api/api-error';
import type { Session } from '../api/session';

export interface LogoutState {
  busy: boolean;
  /** Why the last attempt failed, as a sentence to show; none while it runs or before. */
  error: string | undefined;
  logout: () => void;
}

export function useLogout(session: Session): LogoutState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const logout = (): void => {
    setBusy(true);
    setError(undefined);
    // On success the session ends and this component goes with it: nothing more to set.
    session.logout().catch((err: unknown) => {
      setError(logoutFailure(messageOf(err)));
      setBusy(false);
    });
  };
  return { busy, error, logout };
}

export function logoutFailure(reason: string): string {
  const sentence = /[.!?]$/.test(reason) ? reason : `${reason}.`;
  return `Couldn't log out: ${sentence} You are still logged in. Try again.`;
}
