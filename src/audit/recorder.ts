/**
 * Writes audit rows in batches: a call adds its row to an in-process buffer, flushed every
 * FLUSH_MS or as soon as BATCH rows wait, and on close. A call never waits for its row, so the
 * trail adds one multi-row INSERT per batch instead of one write per call, and reads (most calls)
 * gain no transaction. The window a `kill -9` can lose is one flush interval; an orderly stop
 * loses nothing. LookupEvents flushes first, so a caller always sees its own earlier calls.
 *
 * A refused call whose caller was never authenticated (a bad signature, a disabled key) has only
 * the AccessKeyId it claimed: the flush files it under the key's account, as ActionTrail records
 * such failures for the key's owner; a key no account holds is nobody's event and is dropped.
 */
import type { Db } from '../store/db.js';
import type { AuditEventTable } from '../store/schema.js';

export const FLUSH_MS = 100;
export const BATCH = 200;
/** Rows held while the store refuses them; past this the oldest are dropped (and counted in the log). */
const MAX_PENDING = 50_000;
const MAX_ATTEMPTS = 3;

interface Pending { row: AuditEventTable; attempts: number }

export class AuditRecorder {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly db: Db, private readonly log: (msg: string) => void = (m) => console.error(`[openecs] ${m}`)) {}

  record(row: AuditEventTable): void {
    if (this.closed) return;
    this.pending.push({ row, attempts: 0 });
    if (this.pending.length > MAX_PENDING) {
      const dropped = this.pending.splice(0, this.pending.length - MAX_PENDING).length;
      this.log(`audit: the store is not taking events; ${dropped} oldest dropped`);
    }
    if (this.pending.length >= BATCH) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => { this.timer = undefined; void this.flush(); }, FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes everything recorded so far (waiting for a flush already under way). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    this.flushing = this.writeAll().finally(() => { this.flushing = undefined; });
    await this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    this.closed = true;
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, BATCH);
      try {
        const rows = await this.resolveAccounts(batch.map((p) => p.row));
        if (rows.length) await this.db.insertInto('audit_events').values(rows).execute();
      } catch (e) {
        const retry = batch.filter((p) => ++p.attempts < MAX_ATTEMPTS);
        if (retry.length < batch.length) this.log(`audit: ${batch.length - retry.length} events not written: ${String(e)}`);
        this.pending.unshift(...retry);
        if (!this.timer && !this.closed) {
          this.timer = setTimeout(() => { this.timer = undefined; void this.flush(); }, FLUSH_MS * 10);
          this.timer.unref();
        }
        return;
      }
    }
  }

  private async resolveAccounts(rows: AuditEventTable[]): Promise<AuditEventTable[]> {
    const keys = [...new Set(rows.filter((r) => !r.account_id && r.access_key_id).map((r) => r.access_key_id))];
    if (keys.length === 0) return rows.filter((r) => r.account_id);
    const found = await this.db.selectFrom('access_keys').leftJoin('ram_users', 'ram_users.id', 'access_keys.user_id')
      .select(['access_keys.id as id', 'access_keys.account_id as account_id', 'access_keys.user_id as user_id', 'ram_users.name as user_name'])
      .where('access_keys.id', 'in', keys).execute();
    const byKey = new Map(found.map((k) => [k.id, k]));
    const out: AuditEventTable[] = [];
    for (const r of rows) {
      if (r.account_id) { out.push(r); continue; }
      const k = byKey.get(r.access_key_id);
      if (!k) continue;
      out.push(k.user_id
        ? { ...r, account_id: k.account_id, identity_type: 'ram-user', principal_id: k.user_id, user_name: k.user_name ?? '' }
        : { ...r, account_id: k.account_id, identity_type: 'root-account', principal_id: k.account_id, user_name: 'root' });
    }
    return out;
  }
}

const recorders = new WeakMap<Db, AuditRecorder>();

/** The one recorder of a store in this process (the dispatcher's, which LookupEvents flushes). */
export function auditRecorder(db: Db): AuditRecorder {
  let r = recorders.get(db);
  if (!r) recorders.set(db, (r = new AuditRecorder(db)));
  return r;
}
