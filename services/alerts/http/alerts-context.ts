// What the alerts routes need, gathered once in app.ts.
import type { HouseholdRoles } from '../../../lib/auth/directory.js';
import type { AccessTokenVerifier } from '../../../lib/auth/principal.js';
import type { AlertsRepository } from '../data/alerts-repository.js';
import type { RulesRepository } from '../data/rules-repository.js';
import type { WebhooksRepository } from '../data/webhooks-repository.js';
import type { AlertView } from './schemas.js';

export interface AlertsContext {
  readonly verifier: AccessTokenVerifier;
  /** Members read a household's alerts; owners change its rules and webhook. */
  readonly roles: HouseholdRoles;
  /** Whether a household exists (auth service's households table); admins get 404 otherwise. */
  readonly householdExists: (householdId: string) => Promise<boolean>;
  readonly rules: RulesRepository;
  readonly alerts: AlertsRepository;
  readonly webhooks: WebhooksRepository;
  /** Makes the evaluator pick up a rule change now. */
  readonly rulesChanged: () => Promise<void>;
  /**
   * Alerts a rule change resolved, once its transaction committed. They are counted here, not by
   * the transition sink: when the engine reloads the rule it finds them resolved already.
   */
  readonly resolvedByRuleChange: (alerts: readonly AlertView[]) => void;
  readonly webhook: { readonly timeoutMs: number; readonly allowPrivate: boolean };
  readonly maxRulesPerHousehold: number;
  readonly now: () => number;
  readonly ping: () => Promise<{ postgres: boolean; influxdb: boolean; live: boolean }>;
}
