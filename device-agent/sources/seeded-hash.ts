// Counter-based pseudo-randomness: every random choice of the simulator is a hash of
// (household seed, device, what is being decided, when). No generator state exists, so a load
// value is a pure function of its inputs and any process can recompute it (tests, loss checker).

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: full avalanche, cheap. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-8 bytes, so the key of a non-ASCII device id is the same in any language. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A device's hash key within one household: different seeds give unrelated households. */
export function deviceKey(seed: number, deviceId: string): number {
  return mix32(fnv1a32(deviceId) ^ mix32(seed + 0x9e3779b9));
}

/**
 * A uniform number in [0, 1) decided by `key` (a device), `salt` (which question) and `index`
 * (which slot, day or event). Integers only; indexes up to 2^32 are distinct.
 */
export function unitHash(key: number, salt: number, index: number): number {
  const h = mix32(key ^ mix32(Math.imul(salt, 0x27d4eb2f) + 0x165667b1) ^ mix32((index >>> 0) + 0x9e3779b9));
  return h / TWO_POW_32;
}

/** `unitHash` scaled to [min, max). */
export function between(key: number, salt: number, index: number, min: number, max: number): number {
  return min + (max - min) * unitHash(key, salt, index);
}
