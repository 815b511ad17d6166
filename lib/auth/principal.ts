// Who is calling, as established from a verified access token (lib/auth/token-verifier.ts).

export interface Principal {
  /** Token `sub`; matches `users.subject` (docs/decisions/006-auth.md). */
  readonly subject: string;
  /** `user` for a person, `service` for a client_credentials token (no person behind it). */
  readonly kind: 'user' | 'service';
  /** Platform roles, e.g. `admin` (operator). From `roles` or Keycloak's `realm_access.roles`. */
  readonly roles: readonly string[];
  /** OAuth2 scopes from the space-separated `scope` claim. */
  readonly scopes: readonly string[];
  /** Seconds since epoch at which the token expires. */
  readonly expiresAtS: number;
}

export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
  /** Short machine-readable reason (`expired`, `bad-signature`, `wrong-audience`, …) for logs and metrics. */
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

export interface AccessTokenVerifier {
  /** Resolves the caller, or rejects with TokenRejectedError. */
  verify(token: string): Promise<Principal>;
}

/** The MQTT user name that says "the password is an OAuth2 access token" (docs/decisions/006-auth.md §5). */
export const MQTT_TOKEN_USERNAME = 'token';
