// Argon2id password hashing (OWASP Password Storage Cheat Sheet: Argon2id, at least 19 MiB, 2 iterations, 1 lane).
// A dummy hash is verified when there is no user, so that an unknown email costs the same time as
// a wrong password and timing does not reveal which emails have accounts.
import argon2 from 'argon2';

export interface Argon2Params {
  readonly memoryKiB: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** True when `password` matches `hash`; a malformed hash is a mismatch. */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with weaker parameters than the configured ones. */
  needsRehash(hash: string): boolean;
  /** Spends the time a real verify would, for paths without a user. Always false. */
  verifyNothing(password: string): Promise<false>;
}

export function createPasswordHasher(params: Argon2Params): PasswordHasher {
  // argon2's typings declare the constant as number but the option as 0 | 1 | 2 (2 = Argon2id).
  // `as const` keeps `type` the literal 2 (Argon2id) that argon2's HashOptions asks for.
  const options = { type: argon2.argon2id, memoryCost: params.memoryKiB, timeCost: params.timeCost, parallelism: params.parallelism } as const;
  const hash = (password: string): Promise<string> => argon2.hash(password, options);
  let dummy: Promise<string> | undefined;
  const verify = async (stored: string, password: string): Promise<boolean> => {
    try {
      return await argon2.verify(stored, password);
    } catch {
      return false;
    }
  };
  return {
    hash,
    verify,
    needsRehash(stored) {
      try {
        return argon2.needsRehash(stored, { memoryCost: options.memoryCost, timeCost: options.timeCost, parallelism: options.parallelism });
      } catch {
        return false;
      }
    },
    async verifyNothing(password) {
      dummy ??= hash('energymonitor: no such user');
      await verify(await dummy, password);
      return false;
    },
  };
}
