// How fast one agent's readings publishes are taken: a GCRA (generic cell rate algorithm, the
// token bucket written as one number per agent) with a rate and a burst, on two meters at once:
// publishes (each costs the broker about the same CPU and a journal entry) and the readings they
// carry (each a point InfluxDB must store; a publish may carry up to 1,000, so a publishes pace
// alone would let one agent write 20,000 points a second). A publish over either pace is not
// refused but delayed: the broker holds it (and so its PUBACK) until its turn, the agent's
// in-flight window fills, and its socket stops being read (readings-fast-path.ts, Aedes).
//
// Per agent and meter, state is its theoretical arrival time `tat`: when the next unit would be
// due if the agent kept to the rate exactly, so (tat − now) ÷ interval units of its burst are in
// use. A publish of cost c (1 publish; its readings) may go once every meter has room for it: at
// max(now, tat − (burst − c) intervals) for each (once the tat has passed, for a publish costing
// more than the whole burst); then each tat moves c intervals on. An agent whose tats have passed
// is in the same state as one never seen: evicting it changes nothing, so memory holds only agents
// that published within about the last burst ÷ rate seconds (plus one sweep).
//
// Order: a publish waiting for its turn holds every later one of the same agent behind it, even if
// the clock says that one could go (one timer per agent releases them first in, first out).

export interface PublishPaceSettings {
  /** Publishes per second one agent is held to; 0 disables this meter. */
  readonly publishesPerS: number;
  /** Publishes an agent may send at once (after an idle time of burst ÷ rate) before the pace applies. */
  readonly burst: number;
  /** Readings per second one agent is held to, over its publishes; 0 (or absent) disables this meter. */
  readonly readingsPerS?: number;
  /** Readings an agent may send at once before the readings pace applies. */
  readonly readingsBurst?: number;
}

/**
 * An agent's publishes are being paced: told once when the pace first holds one of its publishes,
 * then at most once per REPORT_PACED_EVERY_MS while it keeps being paced (an agent idle long enough
 * to be evicted is told about afresh). The operator's way to find which agent it is: the metrics
 * carry no agent label (one series per agent would be a cardinality problem of our own).
 */
export type OnPaced = (agent: string, delayMs: number) => void;

export const REPORT_PACED_EVERY_MS = 10 * 60_000;

/** A monotonic clock in milliseconds, and a one-shot timer (injected: tests drive both). */
export interface PaceClock {
  now(): number;
  setTimer(run: () => void, delayMs: number): void;
}

export interface AgentPublishPace {
  /**
   * Runs `go` once `agent`'s publish of `readings` readings may proceed: at once when within its
   * pace, else later, after every earlier publish of that agent. Returns the delay the pace gave it
   * in ms (0: not paced).
   */
  admit(agent: string, readings: number, go: () => void): number;
  /** Whether `readings` matters (the readings meter is on): when not, callers need not count them. */
  readonly countsReadings: boolean;
  /** Agents whose state is kept (memory). */
  trackedAgents(): number;
}

interface Waiting {
  readonly releaseAt: number;
  readonly go: () => void;
}

interface AgentState {
  /** The publishes meter's theoretical arrival time. */
  tat: number;
  /** The readings meter's. */
  readingsTat: number;
  /** Publishes waiting for their turn, oldest first; undefined when none (most agents, always). */
  waiting: Waiting[] | undefined;
  timerArmed: boolean;
  /** When onPaced was last told about this agent; undefined: not since it was first tracked. */
  reportedAt: number | undefined;
}

/** Idle agents are looked for this often (one pass over the map; lossless, see the header). */
export const PACE_SWEEP_EVERY_MS = 1000;

/** One meter of the pace: its emission interval per unit and its burst in units, or undefined when off. */
interface Meter {
  readonly intervalMs: number;
  readonly burst: number;
}

function meter(perS: number | undefined, burst: number | undefined): Meter | undefined {
  if (perS === undefined || perS === 0) return undefined;
  return { intervalMs: 1000 / perS, burst: burst ?? 1 };
}

/** When a publish of `cost` units has room in a meter whose theoretical arrival time is `tat` (see the header). */
const roomAt = (m: Meter, tat: number, cost: number): number => tat - Math.max(0, m.burst - cost) * m.intervalMs;

export function createAgentPublishPace(settings: PublishPaceSettings, clock: PaceClock, onPaced?: OnPaced): AgentPublishPace {
  const publishes = meter(settings.publishesPerS, settings.burst);
  const readingsMeter = meter(settings.readingsPerS, settings.readingsBurst);
  if (publishes === undefined && readingsMeter === undefined) return { admit: (_agent, _readings, go) => (go(), 0), countsReadings: false, trackedAgents: () => 0 };
  const agents = new Map<string, AgentState>();
  let nextSweepAt = clock.now() + PACE_SWEEP_EVERY_MS;

  function sweep(now: number): void {
    for (const [agent, state] of agents) if (state.waiting === undefined && state.tat <= now && state.readingsTat <= now) agents.delete(agent);
    nextSweepAt = now + PACE_SWEEP_EVERY_MS;
  }

  function arm(state: AgentState, now: number): void {
    const head = state.waiting?.[0];
    if (state.timerArmed || head === undefined) return;
    state.timerArmed = true;
    // A timer may fire a little before its time (Node rounds to whole ms): release() re-arms then.
    clock.setTimer(() => release(state), Math.max(1, Math.ceil(head.releaseAt - now)));
  }

  function release(state: AgentState): void {
    state.timerArmed = false;
    const now = clock.now();
    const waiting = state.waiting ?? [];
    while (waiting.length > 0 && (waiting[0] as Waiting).releaseAt <= now) (waiting.shift() as Waiting).go();
    if (waiting.length === 0) state.waiting = undefined;
    else arm(state, now);
  }

  return {
    admit(agent, readings, go) {
      const now = clock.now();
      if (now >= nextSweepAt) sweep(now);
      let state = agents.get(agent);
      if (state === undefined) {
        state = { tat: now, readingsTat: now, waiting: undefined, timerArmed: false, reportedAt: undefined };
        agents.set(agent, state);
      }
      // At least one reading's worth: an empty or unreadable container still costs a publish (the
      // validator refuses it later; the pace comes first so that a flood of them waits too).
      const readingsCost = Math.max(1, readings);
      let releaseAt = now;
      if (publishes !== undefined) releaseAt = Math.max(releaseAt, roomAt(publishes, state.tat, 1));
      if (readingsMeter !== undefined) releaseAt = Math.max(releaseAt, roomAt(readingsMeter, state.readingsTat, readingsCost));
      if (publishes !== undefined) state.tat = Math.max(state.tat, releaseAt) + publishes.intervalMs;
      if (readingsMeter !== undefined) state.readingsTat = Math.max(state.readingsTat, releaseAt) + readingsCost * readingsMeter.intervalMs;
      if (state.waiting === undefined && releaseAt <= now) {
        go();
        return 0;
      }
      (state.waiting ??= []).push({ releaseAt, go });
      arm(state, now);
      const delayMs = Math.max(0, releaseAt - now);
      if (onPaced !== undefined && (state.reportedAt === undefined || now - state.reportedAt >= REPORT_PACED_EVERY_MS)) {
        state.reportedAt = now;
        onPaced(agent, delayMs);
      }
      return delayMs;
    },
    countsReadings: readingsMeter !== undefined,
    trackedAgents: () => agents.size,
  };
}
