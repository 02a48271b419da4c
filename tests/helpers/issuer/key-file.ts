// The embedded issuer's key, kept in a file so `npm start`, `npm run token` and `npm run events` sign and verify with the same one.
import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../scripts/lib/paths';
import { signingKey, type SigningKey } from './keys';

/** Where the key lives unless a folder is given: `<repo>/.local/issuer` (git-ignored). */
export const DEFAULT_ISSUER_DIR = path.join(ROOT, '.local', 'issuer');
const KEY_FILE = 'private-key.pem';

/** A key file that cannot be used: the message says which file and what to do. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

/**
 * The signing key in `dir` (default DEFAULT_ISSUER_DIR), created on first use: RSA-2048, PKCS#8 PEM
 * in `private-key.pem` (mode 0600, folder 0700). Safe when several processes start at once: exactly
 * one key wins and all of them use it. The kid is the key's thumbprint, so it needs no file of its own.
 * Throws KeyFileError when the file holds no usable RSA key.
 */
export function loadOrCreateKey(dir: string = DEFAULT_ISSUER_DIR): SigningKey & { readonly file: string } {
  const file = path.join(dir, KEY_FILE);
  const pem = readIfExists(file) ?? createKeyFile(dir, file);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new KeyFileError(`${file} is not a readable private key (${(err as Error).message}); delete it to make a new one`, { cause: err });
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new KeyFileError(`${file} holds a ${String(privateKey.asymmetricKeyType)} key, not RSA; delete it to make a new one`);
  }
  return { ...signingKey(privateKey), file };
}

function createKeyFile(dir: string, file: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const temp = path.join(dir, `.${KEY_FILE}.${process.pid}.${randomUUID()}.tmp`);
  writeFileSync(temp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  try {
    // link() fails when the file exists: a process that started at the same time won; use its key.
    linkSync(temp, file);
    chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
  return readFileSync(file, 'utf8');
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
