// The device ids of one container as 32-bit hashes, for the per-agent device bound
// (agent-device-bound.ts): the wire-format scan (container-scan.ts) hashes an id's bytes where they
// lie in the payload, without building a string; the full validator hashes decoded strings the
// same way. The two agree because the scan takes only printable ASCII ids, whose UTF-16 code units
// are their bytes; any other id always goes through the validator, so is always hashed from its string.
//
// Seeded per process (FNV-1a from a random basis, then murmur3's finalizer): FNV alone is easy to
// collide on purpose, and an id colliding with one the agent already reported would pass uncounted.
import { randomInt } from 'node:crypto';

const FNV_PRIME = 0x01000193;
const SEED = randomInt(2 ** 32) >>> 0;

/** murmur3's fmix32: every input bit reaches every output bit. Never 0 (0 marks an empty slot). */
function finish(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0 || 1;
}

/** Hash of the id in bytes [start, start + length). */
export function hashDeviceIdBytes(bytes: Uint8Array, start: number, length: number): number {
  let h = SEED;
  const end = start + length;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
  return finish(h);
}

/** Hash of a decoded id; equal to hashDeviceIdBytes of its bytes when it is ASCII. */
export function hashDeviceId(id: string): number {
  let h = SEED;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), FNV_PRIME);
  return finish(h);
}

/** A container's device id hashes, in order, a run of one device once. Reused for every publish. */
export class DeviceIdHashes {
  values = new Uint32Array(64);
  count = 0;

  reset(): void {
    this.count = 0;
  }

  add(hash: number): void {
    if (this.count === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = hash;
  }
}
