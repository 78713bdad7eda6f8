import { getEnv, type StorageEnv } from "./env.server";
import { createKeyring, type Keyring } from "./security/keyring";

export function keyringFromEnv(env: StorageEnv): Keyring {
  return createKeyring(env.ENCRYPTION_KEY, env.ENCRYPTION_KEYS_RETIRED);
}

let keyring: Keyring | undefined;

export function getKeyring(): Keyring {
  keyring ??= keyringFromEnv(getEnv());
  return keyring;
}
