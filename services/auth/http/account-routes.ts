// /v1/auth/* (register, login, refresh, logout) and /v1/me (profile, password change).
import { z } from 'zod';
import type { HttpApp } from '../../../lib/http/http-app.js';
import type { AuthContext } from '../auth-context.js';
import { login, register, REGISTER_ACCEPTED } from '../use-cases/register-and-login.js';
import { changePassword, logout, refresh } from '../use-cases/sessions.js';
import { authenticateUser } from './authenticate.js';
import { clientAddress, noStore } from './route-helpers.js';
import { bearer, displayNameSchema, emailSchema, loginEmailSchema, opaqueTokenSchema, passwordSchema, tokenPairSchema } from './schemas.js';

const meSchema = z.object({
  subject: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(['user', 'admin']),
  createdAt: z.string(),
});

export function registerAccountRoutes(app: HttpApp, ctx: AuthContext): void {
  app.post(
    '/v1/auth/register',
    {
      schema: {
        summary: 'Create an account. Answers 202 the same way whether or not the email is taken (no enumeration).',
        body: z.object({ email: emailSchema, password: passwordSchema, displayName: displayNameSchema.default('') }),
        response: { 202: z.object({ status: z.literal(REGISTER_ACCEPTED.status), message: z.string() }) },
      },
    },
    async (request, reply) => reply.status(202).send(await register(ctx, request.body, clientAddress(request))),
  );

  app.post(
    '/v1/auth/login',
    {
      schema: {
        summary: 'Log in with email and password; returns an access token and a refresh token.',
        body: z.object({ email: loginEmailSchema, password: z.string().max(128) }),
        response: { 200: tokenPairSchema },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return login(ctx, request.body, clientAddress(request));
    },
  );

  app.post(
    '/v1/auth/refresh',
    {
      schema: {
        summary: 'Exchange a refresh token for a new pair. Each refresh token works once; reuse ends the session.',
        body: z.object({ refresh_token: opaqueTokenSchema }),
        response: { 200: tokenPairSchema },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return refresh(ctx, request.body.refresh_token, clientAddress(request));
    },
  );

  app.post(
    '/v1/auth/logout',
    { schema: { summary: 'End the session of this refresh token (idempotent).', body: z.object({ refresh_token: opaqueTokenSchema }) } },
    async (request, reply) => {
      await logout(ctx, request.body.refresh_token, clientAddress(request));
      return reply.status(204).send();
    },
  );

  app.get('/v1/me', { schema: { summary: 'The calling user.', security: bearer, response: { 200: meSchema } } }, async (request) => {
    const { user } = await authenticateUser(ctx, request);
    return { subject: user.subject, email: user.email, displayName: user.displayName, role: user.role, createdAt: user.createdAt.toISOString() };
  });

  app.post(
    '/v1/me/password',
    {
      schema: {
        summary: 'Change the password; every other session of this user ends.',
        security: bearer,
        body: z.object({ currentPassword: z.string().max(128), newPassword: passwordSchema }),
      },
    },
    async (request, reply) => {
      const caller = await authenticateUser(ctx, request);
      await changePassword(ctx, caller.user, caller.sessionId, request.body, clientAddress(request));
      return reply.status(204).send();
    },
  );
}
