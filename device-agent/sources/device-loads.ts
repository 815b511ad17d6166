// Load curves of household appliances. Power is constant within each 10-second slot and is a pure
// function of (device key, slot): no state, so the same slot always has the same value.
// Typical figures: standby 40–80 W; fridge compressor 90–120 W on 12–18 min, off 25–35 min;
// hob and oven 1.5–3 kW around meals; washing machine 2 kW heating then ~300 W motor, a few
// times a week; dishwasher two heating phases after dinner; lights in the evening; TV.
import type { DeviceKind, SimulatedDevice } from './household-plan.js';
import { between, unitHash } from './seeded-hash.js';
import { dailyEvent, inEvent, type LocalSlot } from './local-slot.js';

/** Each salt is one independent random question about a device. */
const SALT = {
  level: 1,
  noise: 2,
  onMin: 3,
  offMin: 4,
  phase: 5,
  duty: 6,
  meal: 10, // 10..12: breakfast, lunch, dinner
  oven: 13,
  wash: 14,
  dish: 15,
  lightsOn: 16,
  bedtime: 17,
  tv: 18,
  socket: 19,
} as const;

type LoadModel = (key: number, at: LocalSlot) => number;

function noise(key: number, at: LocalSlot, amplitudeW: number): number {
  return (unitHash(key, SALT.noise, at.slot) - 0.5) * 2 * amplitudeW;
}

const standby: LoadModel = (key, at) => between(key, SALT.level, 0, 40, 80) + noise(key, at, 2);

const fridge: LoadModel = (key, at) => {
  const onMs = between(key, SALT.onMin, 0, 12, 18) * 60_000;
  const periodMs = onMs + between(key, SALT.offMin, 0, 25, 35) * 60_000;
  const phaseMs = unitHash(key, SALT.phase, 0) * periodMs;
  const compressorOn = (at.startMs + phaseMs) % periodMs < onMs;
  return compressorOn ? between(key, SALT.level, 0, 90, 120) + noise(key, at, 3) : 1.5;
};

const MEALS = [
  { earliestMin: 6.5 * 60, latestMin: 8.5 * 60, minDurationMin: 8, maxDurationMin: 20, weekday: 0.45, weekend: 0.6 },
  { earliestMin: 11.75 * 60, latestMin: 13 * 60, minDurationMin: 15, maxDurationMin: 35, weekday: 0.3, weekend: 0.7 },
  { earliestMin: 17.5 * 60, latestMin: 19.5 * 60, minDurationMin: 20, maxDurationMin: 45, weekday: 0.85, weekend: 0.85 },
] as const;

/** A hob's energy regulator switches the element on and off; about 75 % of 10-s slots are on. */
const hob: LoadModel = (key, at) => {
  const cooking = MEALS.some((meal, i) => {
    const probability = at.weekend ? meal.weekend : meal.weekday;
    return inEvent(dailyEvent(key, SALT.meal + i, at.dayIndex, { ...meal, probability }), at);
  });
  if (!cooking) return 0.5;
  return unitHash(key, SALT.duty, at.slot) < 0.75 ? between(key, SALT.level, 0, 1500, 3000) : 0;
};

/** Full power while preheating (10 min), then the thermostat holds about half duty. */
const oven: LoadModel = (key, at) => {
  const spec = { earliestMin: 17 * 60, latestMin: 19 * 60, minDurationMin: 40, maxDurationMin: 70 };
  const event = dailyEvent(key, SALT.oven, at.dayIndex, { ...spec, probability: at.weekend ? 0.5 : 0.3 });
  if (event === undefined || !inEvent(event, at)) return 1;
  const heating = at.minuteOfDay - event.startMin < 10 || unitHash(key, SALT.duty, at.slot) < 0.45;
  return heating ? between(key, SALT.level, 0, 2200, 2500) : 15;
};

/** Heating 20 min at ~2 kW, washing 60 min at ~300 W, spinning 8 min at ~500 W. */
const washingMachine: LoadModel = (key, at) => {
  const spec = { earliestMin: 8 * 60, latestMin: 20 * 60, minDurationMin: 88, maxDurationMin: 88 };
  const event = dailyEvent(key, SALT.wash, at.dayIndex, { ...spec, probability: 3 / 7 });
  if (event === undefined || !inEvent(event, at)) return 1;
  const elapsedMin = at.minuteOfDay - event.startMin;
  if (elapsedMin < 20) return between(key, SALT.level, 0, 1900, 2100) + noise(key, at, 20);
  if (elapsedMin < 80) return 300 + noise(key, at, 50);
  return 500 + noise(key, at, 30);
};

const DISHWASHER_PHASES = [
  { untilMin: 10, watts: 100 },
  { untilMin: 28, watts: 1900 },
  { untilMin: 63, watts: 80 },
  { untilMin: 75, watts: 1800 },
  { untilMin: 90, watts: 10 },
] as const;

const dishwasher: LoadModel = (key, at) => {
  const spec = { earliestMin: 19.5 * 60, latestMin: 22 * 60, minDurationMin: 90, maxDurationMin: 90 };
  const event = dailyEvent(key, SALT.dish, at.dayIndex, { ...spec, probability: 0.6 });
  if (event === undefined || !inEvent(event, at)) return 0.5;
  const elapsedMin = at.minuteOfDay - event.startMin;
  const phase = DISHWASHER_PHASES.find((p) => elapsedMin < p.untilMin);
  return (phase?.watts ?? 10) + noise(key, at, 5);
};

/** Lights go on around dusk (about 16:30 in winter, 21:30 in summer) until bedtime. */
const lighting: LoadModel = (key, at) => {
  const duskMin = 19 * 60 + 150 * Math.cos((2 * Math.PI * (at.dayOfYear - 172)) / 365.25);
  const onMin = duskMin + between(key, SALT.lightsOn, at.dayIndex, -20, 20);
  const bedtimeMin = between(key, SALT.bedtime, at.dayIndex, 22.5 * 60, 23.75 * 60);
  const levelW = between(key, SALT.level, 0, 60, 200);
  if (at.minuteOfDay >= onMin && at.minuteOfDay < bedtimeMin) return levelW + noise(key, at, 3);
  const winterMorning = duskMin < 18 * 60 && !at.weekend && at.minuteOfDay >= 6.5 * 60 && at.minuteOfDay < 7.5 * 60;
  return winterMorning ? 0.4 * levelW : 0;
};

const tv: LoadModel = (key, at) => {
  const spec = { earliestMin: 19 * 60, latestMin: 21.5 * 60, minDurationMin: 60, maxDurationMin: 150 };
  const event = dailyEvent(key, SALT.tv, at.dayIndex, { ...spec, probability: 0.8 });
  return event !== undefined && inEvent(event, at) ? between(key, SALT.level, 0, 80, 150) + noise(key, at, 10) : 0.5;
};

/** A charger, lamp or laptop: on or off per quarter hour, more likely in the evening. */
const socket: LoadModel = (key, at) => {
  const hour = at.minuteOfDay / 60;
  const probability = hour < 7 ? 0.05 : hour < 17 ? 0.3 : 0.5;
  const on = unitHash(key, SALT.socket, Math.floor(at.startMs / 900_000)) < probability;
  return on ? between(key, SALT.level, 0, 20, 65) + noise(key, at, 1) : 0.3;
};

const MODELS: Readonly<Record<DeviceKind, LoadModel>> = {
  standby,
  fridge,
  hob,
  oven,
  'washing-machine': washingMachine,
  dishwasher,
  lighting,
  tv,
  socket,
};

/** Power in deci-watts (0.1 W resolution, like a plug's display); never negative. */
export function deviceDeciWatts(device: SimulatedDevice, at: LocalSlot): number {
  return Math.max(0, Math.round(MODELS[device.kind](device.key, at) * 10));
}
