// Request and response schemas shared by the routes (zod: validation, types and OpenAPI at once).
// Every free-text field that reaches PostgreSQL is storableText (lib/http/storable-text.ts): U+0000
// or an unpaired surrogate is a 400 naming the field, not a 500 after the work was done. Names that
// other members see (display, household and agent names) are singleLineName besides: no control or
// bidirectional override characters, which would break the line or show them other text.
import { z } from 'zod';
import { ID_PATTERN } from '../../../proto/topics.js';
import { singleLineName, storableText } from '../../../lib/http/storable-text.js';
import { isKnownTimeZone, tariffSchema } from '../../../lib/tariff/tariff.js';
import { isEmailAddress } from '../domain/email-address.js';

/**
 * RFC 5321 caps a path at 256 octets, so an address longer than 254 characters cannot be delivered.
 * Internationalised addresses (RFC 6531) are accepted: domain/email-address.ts says which.
 */
export const emailSchema = storableText(z.string().trim().max(254))
  .pipe(z.string().refine(isEmailAddress, 'Invalid email address'))
  .meta({ format: 'idn-email' });
/** Login takes any email as typed (no format check: an unknown one answers like a wrong password). */
export const loginEmailSchema = storableText(z.string().max(254));
/** ASVS V2.1.1/V2.1.2: at least 12 characters, at most 128 allowed; no composition rules (V2.1.9). */
export const passwordSchema = z.string().min(12, 'password must have at least 12 characters').max(128);
export const displayNameSchema = singleLineName(z.string().trim().max(100));
export const householdNameSchema = singleLineName(z.string().trim().min(1).max(100));
export const agentNameSchema = singleLineName(z.string().trim().max(100));
export const timeZoneSchema = z.string().min(1).max(64).refine(isKnownTimeZone, 'timeZone must be an IANA time zone such as Europe/Berlin');
export const idSchema = z.string().regex(ID_PATTERN, 'must match ^[A-Za-z0-9_-]{1,64}$');
/** Our secrets and tokens are 43 base64url characters; allow some room, refuse junk early. */
export const opaqueTokenSchema = z.string().min(1).max(512);
export { tariffSchema };

export const householdParams = z.object({ householdId: idSchema });
export const agentParams = z.object({ householdId: idSchema, agentId: idSchema });
export const memberParams = z.object({ householdId: idSchema, userId: z.uuid() });

export const householdSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  tariff: tariffSchema,
  createdAt: z.string(),
  role: z.enum(['owner', 'member']).optional(),
});

export const tokenPairSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number(),
  refresh_token: z.string(),
  refresh_token_expires_in: z.number(),
  scope: z.string(),
});

export const errorSchema = z.object({ error: z.string(), message: z.string() });
export const bearer = [{ bearer: [] }];
