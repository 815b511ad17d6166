// What the HTTP routes of the read service use; built once in app.ts.
import type { AccessTokenVerifier } from '../../../lib/auth/principal.js';
import type { MembershipDirectory } from '../../../lib/auth/directory.js';
import type { ReadConfig } from '../config.js';
import type { SourceCatalogue } from '../domain/source-plan.js';
import type { HouseholdCatalog } from '../household-catalog.js';
import type { ActivityQueries } from '../influx/activity-queries.js';
import type { HistoryQueries } from '../influx/history-queries.js';
import type { InfluxClient } from '../influx/influx-client.js';
import type { LiveHub } from '../live/live-hub.js';
import type { ReadMetrics } from '../metrics.js';

export interface ReadContext {
  readonly config: Readonly<ReadConfig>;
  readonly verifier: AccessTokenVerifier;
  readonly memberships: MembershipDirectory;
  readonly catalog: HouseholdCatalog;
  readonly influx: InfluxClient;
  readonly history: HistoryQueries;
  readonly activity: ActivityQueries;
  readonly catalogue: SourceCatalogue;
  readonly metrics: ReadMetrics;
  readonly now: () => number;
  /** Undefined until start() connected to MQTT. */
  hub(): LiveHub | undefined;
  /** Retained `status` of the household's agents, when MQTT is connected. */
  agentStatus(householdId: string): Promise<ReadonlyMap<string, string>>;
}
