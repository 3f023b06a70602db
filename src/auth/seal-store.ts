/**
 * Brings the store's secrets under the server key before the server serves: a store written by a
 * version that kept AccessKey and STS secrets in clear has them sealed, all in one transaction
 * (under the cluster lock, so replicas starting together seal once), and the `sealed_store`
 * marker written with a check value. Every later start opens that check value: a replica given
 * another key stops here with the fix, instead of answering every caller SignatureDoesNotMatch.
 */
import type { Db } from '../store/db.js';
import { lockFor } from '../store/cluster-locks.js';
import { Sealer } from './secrets.js';

const MARKER = 'secrets';
const CHECK = 'openecs-server-key-check';

export interface SealReport {
  /** Rows whose clear secrets were sealed now (0 once the store is sealed). */
  sealed: number;
}

export class ServerKeyMismatch extends Error {}

export async function sealStoreSecrets(db: Db, sealer: Sealer, now: number): Promise<SealReport> {
  return db.transaction().execute(async (trx) => {
    await lockFor(trx, 'openecs_seal_store');
    const marker = await trx.selectFrom('sealed_store').selectAll().where('name', '=', MARKER).executeTakeFirst();
    if (marker) {
      let opened = '';
      try { opened = sealer.open(marker.key_check); } catch { /* another key */ }
      if (opened !== CHECK) {
        throw new ServerKeyMismatch('the server key does not open this store\'s secrets: it was sealed with another key. '
          + 'Give every replica the key that sealed it (OPENECS_SERVER_KEY_FILE, or the first replica\'s data dir server.key)');
      }
      return { sealed: 0 };
    }
    let sealed = 0;
    const keys = await trx.selectFrom('access_keys').select(['id', 'secret']).execute();
    for (const k of keys) {
      if (Sealer.isSealed(k.secret)) continue;
      await trx.updateTable('access_keys').set({ secret: sealer.seal(k.secret) }).where('id', '=', k.id).execute();
      sealed++;
    }
    const sessions = await trx.selectFrom('sts_sessions').select(['access_key_id', 'secret', 'security_token']).execute();
    for (const s of sessions) {
      if (Sealer.isSealed(s.secret)) continue;
      await trx.updateTable('sts_sessions').set({ secret: sealer.seal(s.secret), security_token: sealer.seal(s.security_token) })
        .where('access_key_id', '=', s.access_key_id).execute();
      sealed++;
    }
    await trx.insertInto('sealed_store').values({ name: MARKER, key_check: sealer.seal(CHECK), sealed_at: now }).execute();
    return { sealed };
  });
}
