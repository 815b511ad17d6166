// Aedes' authorizeForward hook: what a subscriber is sent of a message, or nothing.
import type { AuthorizeForwardHandler } from './aedes-types.js';
import type { AuthHooks } from './auth-hooks.js';
import type { HeldBackPayloads } from './held-back-payloads.js';

export function createAuthorizeForward(heldBack: HeldBackPayloads, auth: AuthHooks): AuthorizeForwardHandler {
  // The DUP flag is the sender's hop only: a received DUP 1 is not propagated to subscribers
  // [MQTT-3.3.1-3]. (Aedes checks only that this returns something when it re-sends a session's
  // messages, whose DUP redelivery-dup.ts sets.) Aedes asks this for live deliveries and for each
  // message of a resumed session's queue: a member removed from the topic's household gets neither.
  return (client, packet) => {
    if (heldBack.isHeldBack(packet.payload as Buffer)) return null;
    if (!auth.mayForward(client, packet.topic)) return null;
    return packet.dup ? { ...packet, dup: false } : packet;
  };
}
