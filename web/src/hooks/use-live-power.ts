// Live power of the current household: seeded from the last minutes of history, then fed by the
// live stream. A `resync` (missed events) re-seeds from history. The seed asks for one series per
// (agent, device) (`split=agent`), as the live stream brings them: a device several agents report
// is right from the first live reading, which replaces only its own agent's seeded value.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import { openLiveStream, type LiveState } from '../api/live-stream';
import type { PowerAnswer } from '../api/types';
import { applyContainer, EMPTY_LIVE_POWER, seedFromHistory, type LivePower } from '../lib/live-power';

export interface LivePowerView {
  power: LivePower;
  connection: LiveState;
  detail?: string;
  /** Set once the seed request succeeded (with or without data). */
  seeded: boolean;
  /** Why the last seed request failed: nobody knows whether there are readings. */
  seedError?: Error;
  /** Asks for the seed again (after `seedError`). */
  retrySeed: () => void;
}

export function useLivePower(client: ApiClient, householdId: string, windowMs: number): LivePowerView {
  const [view, setView] = useState<Omit<LivePowerView, 'retrySeed'>>({ power: EMPTY_LIVE_POWER, connection: 'connecting', seeded: false });
  const seedRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    const seed = async (): Promise<void> => {
      const to = Date.now();
      const query = new URLSearchParams({ from: new Date(to - windowMs).toISOString(), to: new Date(to + 1000).toISOString(), split: 'agent' });
      try {
        const answer = await client.json<PowerAnswer>('/api/read', `/v1/households/${encodeURIComponent(householdId)}/power?${query}`);
        if (stopped) return;
        setView((v) => ({ ...v, seeded: true, seedError: undefined, power: seedFromHistory(v.power, answer.total, answer.series) }));
      } catch (err) {
        // The live stream may still work without the seed; until it brings readings, say why there are none.
        if (!stopped) setView((v) => ({ ...v, seedError: err instanceof Error ? err : new Error(String(err)) }));
      }
    };
    seedRef.current = () => {
      setView((v) => ({ ...v, seedError: undefined }));
      void seed();
    };
    void seed();
    const close = openLiveStream(client, householdId, {
      onContainer: (container) => setView((v) => ({ ...v, power: applyContainer(v.power, container, windowMs) })),
      onResync: () => void seed(),
      onState: (connection, detail) => setView((v) => ({ ...v, connection, detail })),
    });
    return () => {
      stopped = true;
      close();
    };
  }, [client, householdId, windowMs]);

  const retrySeed = useCallback(() => seedRef.current(), []);
  return { ...view, retrySeed };
}
