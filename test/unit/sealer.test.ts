/**
 * The server key and its sealer: values sealed and opened again, only under the key that sealed
 * them; the key file made owner-only on first start and reused after; a missing or malformed
 * shared key file refused by name; the store marker that catches a replica given another key.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sealer, SERVER_KEY_FILE } from '../../src/auth/secrets.js';

describe('Sealer', () => {
  const a = new Sealer(randomBytes(32));
  const b = new Sealer(randomBytes(32));

  it('opens what it sealed, and nothing sealed under another key', () => {
    for (const plain of ['', 'x', 'LTAI-secret-0123456789abcdefghijklmn', 'CAIS' + randomBytes(180).toString('base64'), 'пароль Ab12!']) {
      const sealed = a.seal(plain);
      assert.ok(Sealer.isSealed(sealed), `sealed form of ${JSON.stringify(plain.slice(0, 8))}`);
      assert.ok(plain.length < 8 || !sealed.includes(plain));
      assert.equal(a.open(sealed), plain);
      assert.equal(a.openCached(sealed), plain);
      assert.equal(a.openCached(sealed), plain, 'again, from the cache');
      assert.notEqual(a.seal(plain), sealed, 'a fresh IV every time');
      assert.throws(() => b.open(sealed));
    }
  });

  it('tells sealed values from clear ones', () => {
    const cases: [string, boolean][] = [
      [a.seal('s'), true],
      ['testSecretForOpenEcs000000000001', false],
      ['', false],
      ['abc.def.ghi', false],
      ['CAIS' + randomBytes(30).toString('base64'), false],
    ];
    for (const [v, sealed] of cases) assert.equal(Sealer.isSealed(v), sealed, v);
    assert.throws(() => a.open('testSecretForOpenEcs000000000001'), /not a sealed value/);
  });

  it('makes the data dir key owner-only on first start and reuses it after', () => {
    const root = mkdtempSync(join(tmpdir(), 'openecs-key-'));
    try {
      const dir = join(root, 'data');
      const first = Sealer.forDataDir(dir);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, SERVER_KEY_FILE)).mode & 0o777, 0o600);
      assert.equal(Sealer.forDataDir(dir).open(first.seal('kept')), 'kept');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('takes a shared key file, and refuses one missing or malformed', () => {
    const root = mkdtempSync(join(tmpdir(), 'openecs-key-'));
    try {
      const file = join(root, 'shared.key');
      assert.throws(() => Sealer.forDataDir(join(root, 'a'), file), /OPENECS_SERVER_KEY_FILE .* does not exist/);
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
      const one = Sealer.forDataDir(join(root, 'a'), file);
      const two = Sealer.forDataDir(join(root, 'b'), file);
      assert.equal(two.open(one.seal('shared')), 'shared', 'two replicas, one key');
      writeFileSync(file, randomBytes(16).toString('base64'));
      assert.throws(() => Sealer.forDataDir(join(root, 'a'), file), /must be 32 bytes/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
