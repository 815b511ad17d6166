// Moved to lib/energy/counter-energy.ts (the alerts service computes daily energy the same way).
export * from '../../../lib/energy/counter-energy.js';
