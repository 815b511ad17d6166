// Who the agents of a fleet are (numbered or provisioned) and which simulated home each one meters.
import { DEFAULT_DEVICES, type HouseholdOptions } from './sources/household-plan.js';
import type { FleetAgentIdentity, FleetOptions } from './fleet-options.js';

export function fleetIdentities(options: FleetOptions): FleetAgentIdentity[] {
  const first = options.firstIndex ?? 1;
  if (options.provisioned !== undefined) {
    const earlier = new Map<string, number>();
    return options.provisioned.map(({ householdId, agentId }, i) => {
      const agentInHousehold = earlier.get(householdId) ?? 0;
      earlier.set(householdId, agentInHousehold + 1);
      return { householdId, agentId, seed: (options.seed ?? 1) + first + i, agentInHousehold };
    });
  }
  const width = Math.max(4, String(first + options.agents - 1).length);
  return Array.from({ length: options.agents }, (_, i) => {
    const number = String(first + i).padStart(width, '0');
    return {
      householdId: `${options.householdPrefix ?? 'h-'}${number}`,
      agentId: `${options.agentPrefix ?? 'a-'}${number}`,
      seed: (options.seed ?? 1) + first + i,
      agentInHousehold: 0,
    };
  });
}

/** The simulated home an agent meters: the next sockets of the catalogue for a household's later agents. */
export function simulatedHouseholdOf(identity: FleetAgentIdentity, options: Pick<FleetOptions, 'devices' | 'deviceIds'>): HouseholdOptions {
  const later = identity.agentInHousehold;
  if (later === 0 || options.deviceIds !== undefined) return { seed: identity.seed, devices: options.devices, deviceIds: options.deviceIds };
  return {
    seed: identity.seed,
    devices: options.devices,
    firstDeviceIndex: later * (options.devices ?? DEFAULT_DEVICES),
    mainsDeviceId: `mains-${later + 1}`,
  };
}
