/**
 * Seals what the store must keep but never hold in clear — AccessKey secrets, STS session secrets
 * and tokens, instance, image and VNC passwords — with AES-256-GCM under the server key: a file
 * in the data dir (`server.key`, made 0600 on first start) or, for replicas that share one
 * database, one file every replica is given (OPENECS_SERVER_KEY_FILE).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_KEY_FILE = 'server.key';

/** What the store's writers need of the sealer (the store does not depend on how it seals). */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** `iv.tag.body`, each base64: 12 bytes, 16 bytes, the ciphertext. Plain secrets never contain a dot. */
const SEALED = /^[A-Za-z0-9+/]{16}\.[A-Za-z0-9+/]{22}==\.[A-Za-z0-9+/]*={0,2}$/;

/** Opened values kept for the signature check's hot path, keyed by the sealed text (a new secret is a new key). */
const OPENED_MAX = 10_000;

export class Sealer implements SecretBox {
  private opened = new Map<string, string>();

  constructor(private key: Buffer) {
    if (key.length !== 32) throw new Error(`the server key must be 32 bytes (base64 in its file), not ${key.length}`);
  }

  /**
   * The server key: `keyFile` when given (it must exist: a replica must not make its own), else
   * the data dir's `server.key`, made on first start (exclusively, mode 0600, in a 0700 data dir).
   */
  static forDataDir(dataDir: string, keyFile?: string): Sealer {
    if (keyFile) {
      if (!existsSync(keyFile)) throw new Error(`OPENECS_SERVER_KEY_FILE ${keyFile} does not exist (make one: head -c 32 /dev/urandom | base64 > ${keyFile}; chmod 600 ${keyFile})`);
      return new Sealer(readKey(keyFile));
    }
    if (dataDir === ':memory:') return new Sealer(randomBytes(32));
    const file = join(dataDir, SERVER_KEY_FILE);
    if (!existsSync(file)) {
      if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      try {
        writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      } catch (e) {
        // Another process of this data dir made it first: use theirs.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    return new Sealer(readKey(file));
  }

  static isSealed(value: string): boolean {
    return SEALED.test(value);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return [iv, c.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
  }

  /** Throws when `sealed` was not sealed with this key (or is not sealed at all). */
  open(sealed: string): string {
    if (!Sealer.isSealed(sealed)) throw new Error('not a sealed value');
    const [iv, tag, body] = sealed.split('.').map((s) => Buffer.from(s, 'base64'));
    const d = createDecipheriv('aes-256-gcm', this.key, iv!);
    d.setAuthTag(tag!);
    return Buffer.concat([d.update(body!), d.final()]).toString('utf8');
  }

  /** `open`, remembered: a signature check reads the same sealed secret again after every store write. */
  openCached(sealed: string): string {
    const hit = this.opened.get(sealed);
    if (hit !== undefined) return hit;
    const plain = this.open(sealed);
    if (this.opened.size >= OPENED_MAX) this.opened.clear();
    this.opened.set(sealed, plain);
    return plain;
  }
}

function readKey(file: string): Buffer {
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}


/** The sealer of each open store, so code handed only the store (createAccount) seals with its key. */
const bound = new WeakMap<object, Sealer>();

export function bindSealer(db: object, sealer: Sealer): void {
  bound.set(db, sealer);
}

export function sealerOf(db: object): Sealer {
  const s = bound.get(db);
  if (!s) throw new Error('sealerOf: no server key bound to this store (createApp binds it)');
  return s;
}
