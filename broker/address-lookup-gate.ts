// How many CONNECTs from one client address are having their credentials looked up at once. The
// failure throttle (auth-failure-throttle.ts) counts a bad CONNECT only once its lookup has come
// back, so without this an address that opens a thousand connections and sends a thousand CONNECTs
// together has a thousand lookups under way (PostgreSQL queries from the broker's small pool, which
// other agents' CONNECTs wait behind) before its first failure is counted. With it, the rest wait
// in line for their address's turn, and are refused without a lookup if the address is throttled
// by the time their turn comes.
//
// A line is FIFO, so an address's CONNECTs are checked in the order they arrived; good agents
// behind one carrier-grade NAT address reconnecting together after a broker restart are only
// spread out by a few lookups' time, not refused. A line is bounded (`maxQueuedPerKey`): past it a
// CONNECT is turned away at once, so memory is bounded by the connections themselves.
// Pure and synchronous: the caller releases each turn when its lookup has answered.

export interface AddressLookupGateSettings {
  /** Lookups under way at once per key. */
  readonly maxConcurrentPerKey: number;
  /** CONNECTs waiting per key beyond those; past it `enter` refuses. */
  readonly maxQueuedPerKey: number;
}

/** Ends a turn; only its first call counts. */
export type ReleaseTurn = () => void;

export interface AddressLookupGate {
  /**
   * Calls `start` now, or once `key` has a turn free; false (and `start` is never called) when
   * `key`'s line is full. `start` must call its `release` once its lookup has answered.
   */
  enter(key: string, start: (release: ReleaseTurn) => void): boolean;
  /** Turns under way and CONNECTs waiting, over all keys. */
  load(): { readonly running: number; readonly queued: number };
}

type Start = (release: ReleaseTurn) => void;

interface KeyLine {
  running: number;
  /** Waiting starts from `head` on (shift() would copy the array on every turn: a long line would take quadratic time). */
  waiting: (Start | undefined)[];
  head: number;
}

const waitingIn = (line: KeyLine): number => line.waiting.length - line.head;

export function createAddressLookupGate(settings: AddressLookupGateSettings): AddressLookupGate {
  const { maxConcurrentPerKey, maxQueuedPerKey } = settings;
  if (!(maxConcurrentPerKey >= 1)) throw new RangeError(`maxConcurrentPerKey must be at least 1, got ${maxConcurrentPerKey}`);
  const lines = new Map<string, KeyLine>();
  let running = 0;
  let queued = 0;
  /** Keys whose lines are being drained now: a `start` that releases at once must not recurse. */
  const draining = new Set<string>();

  function turn(key: string, line: KeyLine, start: Start): void {
    line.running++;
    running++;
    let released = false;
    start(() => {
      if (released) return;
      released = true;
      line.running--;
      running--;
      drain(key, line);
    });
  }

  function drain(key: string, line: KeyLine): void {
    if (draining.has(key)) return;
    draining.add(key);
    try {
      while (line.running < maxConcurrentPerKey && waitingIn(line) > 0) {
        const next = line.waiting[line.head] as Start;
        line.waiting[line.head] = undefined; // not kept alive by the array until it is dropped
        line.head++;
        if (line.head === line.waiting.length) {
          line.waiting = [];
          line.head = 0;
        }
        queued--;
        turn(key, line, next);
      }
    } finally {
      draining.delete(key);
    }
    if (line.running === 0 && waitingIn(line) === 0) lines.delete(key);
  }

  return {
    enter(key, start) {
      let line = lines.get(key);
      if (line === undefined) {
        line = { running: 0, waiting: [], head: 0 };
        lines.set(key, line);
      }
      if (line.running < maxConcurrentPerKey && waitingIn(line) === 0) {
        turn(key, line, start);
        return true;
      }
      if (waitingIn(line) >= maxQueuedPerKey) return false;
      line.waiting.push(start);
      queued++;
      return true;
    },
    load: () => ({ running, queued }),
  };
}
