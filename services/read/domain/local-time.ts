// Moved to lib/time/local-time.ts (the alerts service needs local days too); kept so imports stay short.
export * from '../../../lib/time/local-time.js';
