// Several agents in one household (npm start's demo household has three): each meters sockets of
// its own. Acceptance report: all three reported fridge, router, hob…, so the household's devices
// showed three agents' readings under one name.
import { describe, expect, it } from 'vitest';
import { fleetIdentities, simulatedHouseholdOf } from '../fleet-identities.js';
import { planHousehold } from '../sources/household-plan.js';

const provisioned = [
  { householdId: 'demo', agentId: 'pi-1', secret: 's' },
  { householdId: 'other', agentId: 'pi-x', secret: 's' },
  { householdId: 'demo', agentId: 'pi-2', secret: 's' },
  { householdId: 'demo', agentId: 'pi-3', secret: 's' },
];

describe('agents sharing a household', () => {
  it('when three provisioned agents share a household, then their device ids (mains included) do not overlap', () => {
    const identities = fleetIdentities({ brokerUrl: 'mqtt://x', dataDir: '/nowhere', agents: 4, provisioned });
    expect(identities.map((i) => i.agentInHousehold)).toEqual([0, 0, 1, 2]);
    const idsOf = (agentId: string): string[] => {
      const identity = identities.find((i) => i.agentId === agentId);
      if (identity === undefined) throw new Error(agentId);
      const plan = planHousehold(simulatedHouseholdOf(identity, {}));
      return [plan.mainsId, ...plan.devices.map((d) => d.id)];
    };
    const demo = ['pi-1', 'pi-2', 'pi-3'].map(idsOf);
    expect(demo[0]).toEqual(['mains', 'fridge', 'router', 'hob', 'washing-machine', 'dishwasher']);
    expect(demo[1]).toEqual(['mains-2', 'oven', 'lighting', 'tv', 'socket-09', 'socket-10']);
    expect(new Set(demo.flat()).size).toBe(18);
    // Another household's first agent keeps the usual catalogue.
    expect(idsOf('pi-x')).toEqual(demo[0]);
  });

  it('when numbered agents each have their own household, or device ids are given, then every agent keeps the catalogue from its start', () => {
    const identities = fleetIdentities({ brokerUrl: 'mqtt://x', dataDir: '/nowhere', agents: 3 });
    expect(identities.map((i) => i.agentInHousehold)).toEqual([0, 0, 0]);
    const shared = fleetIdentities({ brokerUrl: 'mqtt://x', dataDir: '/nowhere', agents: 4, provisioned })[2];
    if (shared === undefined) throw new Error('no identity');
    expect(planHousehold(simulatedHouseholdOf(shared, { deviceIds: ['a', 'b'] })).devices.map((d) => d.id)).toEqual(['a', 'b']);
  });
});
