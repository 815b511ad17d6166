// Which devices a simulated household has, as plain data. A plan plus a time fully determines
// every simulated value, so a test can rebuild the same plan and recompute what an agent sent.
import { deviceKey } from './seeded-hash.js';

export const DEVICE_KINDS = [
  'fridge',
  'standby',
  'hob',
  'washing-machine',
  'dishwasher',
  'oven',
  'lighting',
  'tv',
  'socket',
] as const;

export type DeviceKind = (typeof DEVICE_KINDS)[number];

export interface SimulatedDevice {
  readonly id: string;
  readonly kind: DeviceKind;
  /** Hash key of (seed, id); see seeded-hash.ts. */
  readonly key: number;
}

export interface HouseholdPlan {
  readonly seed: number;
  /** Local time offset; meals, laundry and lighting follow local time. */
  readonly utcOffsetMinutes: number;
  readonly mainsId: string;
  readonly mainsKey: number;
  readonly devices: readonly SimulatedDevice[];
}

export interface HouseholdOptions {
  /** Any 32-bit integer; one household per seed. */
  readonly seed: number;
  /** Number of metered sockets (default 5); ignored when `deviceIds` is given. */
  readonly devices?: number;
  /** Device ids in catalogue order (any UTF-8, 1..128 characters, unique). */
  readonly deviceIds?: readonly string[];
  /**
   * Catalogue position of the first socket (default 0); ignored when `deviceIds` is given. A second
   * agent in the same home meters other sockets: its devices start where the first one's end.
   */
  readonly firstDeviceIndex?: number;
  readonly mainsDeviceId?: string;
  readonly utcOffsetMinutes?: number;
}

export const DEFAULT_DEVICES = 5;
export const MAX_DEVICE_ID_LENGTH = 128;

/** The first sockets get the interesting loads; any further socket is a small generic appliance. */
const CATALOGUE: readonly { readonly kind: DeviceKind; readonly id: string }[] = [
  { kind: 'fridge', id: 'fridge' },
  { kind: 'standby', id: 'router' },
  { kind: 'hob', id: 'hob' },
  { kind: 'washing-machine', id: 'washing-machine' },
  { kind: 'dishwasher', id: 'dishwasher' },
  { kind: 'oven', id: 'oven' },
  { kind: 'lighting', id: 'lighting' },
  { kind: 'tv', id: 'tv' },
];

function kindAt(index: number): DeviceKind {
  return CATALOGUE[index]?.kind ?? 'socket';
}

function defaultIdAt(index: number): string {
  return CATALOGUE[index]?.id ?? `socket-${String(index + 1).padStart(2, '0')}`;
}

/** Readings one poll of a plan yields: power and energy per socket, plus mains voltage. */
export function readingsPerSample(devices: number): number {
  return 2 * devices + 1;
}

export function planHousehold(options: HouseholdOptions): HouseholdPlan {
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  const count = options.deviceIds?.length ?? options.devices ?? DEFAULT_DEVICES;
  if (!Number.isInteger(count) || count < 1) throw new Error(`devices must be a positive integer, got ${count}`);
  const first = options.deviceIds === undefined ? (options.firstDeviceIndex ?? 0) : 0;
  if (!Number.isInteger(first) || first < 0) throw new Error(`firstDeviceIndex must be a non-negative integer, got ${first}`);
  const ids = options.deviceIds ?? Array.from({ length: count }, (_, i) => defaultIdAt(first + i));
  const mainsId = options.mainsDeviceId ?? 'mains';
  assertIds([...ids, mainsId]);
  return {
    seed: options.seed,
    utcOffsetMinutes: options.utcOffsetMinutes ?? 0,
    mainsId,
    mainsKey: deviceKey(options.seed, mainsId),
    devices: ids.map((id, i) => ({ id, kind: kindAt(first + i), key: deviceKey(options.seed, id) })),
  };
}

function assertIds(ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (id.length < 1 || id.length > MAX_DEVICE_ID_LENGTH) {
      throw new Error(`device id must have 1..${MAX_DEVICE_ID_LENGTH} characters, got ${JSON.stringify(id)}`);
    }
    if (seen.has(id)) throw new Error(`duplicate device id ${JSON.stringify(id)}`);
    seen.add(id);
  }
}

export function findDevice(plan: HouseholdPlan, deviceId: string): SimulatedDevice {
  const device = plan.devices.find((d) => d.id === deviceId);
  if (device === undefined) throw new Error(`no device ${JSON.stringify(deviceId)} in this household`);
  return device;
}
