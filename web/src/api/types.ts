// Shapes of the answers the app reads (auth service README; services/read/http/*.ts).

export interface Household {
  id: string;
  name: string;
  timeZone: string;
  tariff: Tariff;
  role?: 'owner' | 'member';
}

export interface TimeOfUseBand {
  days?: number[];
  from: string;
  to: string;
  pricePerKwh: number;
}

export type Tariff =
  | { kind: 'flat'; currency: string; pricePerKwh: number }
  | { kind: 'time-of-use'; currency: string; defaultPricePerKwh: number; bands: TimeOfUseBand[] };

export interface Member {
  userId: string;
  email?: string;
  displayName?: string | null;
  role: 'owner' | 'member';
}

/** An invitation not yet accepted (the auth service's GET …/invitations, owners only). */
export interface OpenInvitation {
  id: string;
  email: string;
  createdAt: string;
  expiresAt: string;
}

export interface NewAgent {
  agentId: string;
  householdId: string;
  username: string;
  password: string;
  mqttUrl: string;
  provisioningCommand: string;
  name: string;
}

export interface DeviceStatus {
  id: string;
  lastSeen: string | null;
  online: boolean;
}

export interface AgentStatus {
  id: string;
  name: string;
  revoked: boolean;
  lastSeen: string | null;
  online: boolean;
  reportedStatus: string | null;
  devices: DeviceStatus[];
}

export interface DevicesAnswer {
  householdId: string;
  timeZone: string;
  agents: AgentStatus[];
}

export interface PowerPoint {
  t: number;
  mean: number;
  max: number;
}

export interface PowerAnswer {
  resolutionS: number;
  fromMs: number;
  toMs: number;
  /** `agent` is set with `split=agent` only: then one series per (agent, device). */
  series: { device: string; agent?: string; points: PowerPoint[] }[];
  total: { t: number; mean: number }[];
}

export type Period = 'hour' | 'day' | 'week' | 'month' | 'year';

export interface EnergyBucket {
  start: string;
  startMs: number;
  endMs: number;
  totalKwh: number;
  devices: Record<string, number>;
  cost?: number;
  deviceCosts?: Record<string, number>;
}

export interface EnergyAnswer {
  period: Period;
  timeZone: string;
  buckets: EnergyBucket[];
  currency?: string;
}

export interface DayCompleteness {
  day: string;
  received: number;
  expected: number;
  share: number | null;
  coverage: number | null;
}

export interface CompletenessAnswer {
  householdId: string;
  timeZone: string;
  agents: { agent: string; days: DayCompleteness[]; gaps: { fromSeq: number; toSeq: number; missing: number }[] }[];
}

/** One `container` event of the live stream. */
export interface LiveContainer {
  agent: string;
  seq: number;
  readings: { device: string; quantity: string; value: number; ts: number }[];
}
