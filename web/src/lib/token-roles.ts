// Reads the `roles` claim of the session's access token, to decide what the page offers (the
// operator link). Display only: the web server verifies the token and its role on every call.

export const OPERATOR_ROLE = 'admin';

export function tokenRoles(token: string | undefined): readonly string[] {
  const payload = token?.split('.')[1];
  if (payload === undefined) return [];
  try {
    const text = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(text) as { roles?: unknown; realm_access?: { roles?: unknown } };
    const roles = Array.isArray(claims.roles) ? claims.roles : Array.isArray(claims.realm_access?.roles) ? claims.realm_access.roles : [];
    return roles.filter((role): role is string => typeof role === 'string');
  } catch {
    return [];
  }
}

export function isOperator(token: string | undefined): boolean {
  return tokenRoles(token).includes(OPERATOR_ROLE);
}
