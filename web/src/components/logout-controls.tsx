// The Log out button and, when the server did not confirm, why the user is still logged in
// (hooks/use-logout.ts): the same on every screen that offers it (the shell, the operator page,
// the household set-up). Two parts, as the header holds the button and the reason goes below it.
import type { ReactNode } from 'react';
import type { LogoutState } from '../hooks/use-logout';

export function LogoutButton({ leaving, small = false }: { leaving: LogoutState; small?: boolean }): ReactNode {
  return (
    <button type="button" className={small ? 'button secondary small' : 'button secondary'} onClick={leaving.logout} disabled={leaving.busy}>
      {leaving.busy ? 'Logging out…' : 'Log out'}
    </button>
  );
}

/** Nothing unless the last attempt failed; `inPage`: a notice under a header rather than a line in a form. */
export function LogoutFailed({ leaving, inPage = false }: { leaving: LogoutState; inPage?: boolean }): ReactNode {
  if (leaving.error === undefined) return null;
  return (
    <p className={inPage ? 'notice form-error' : 'form-error'} role="alert" style={inPage ? { margin: '0.5rem 1rem' } : undefined}>
      {leaving.error}
    </p>
  );
}
