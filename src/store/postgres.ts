/**
 * The store on a PostgreSQL server (OPENECS_DATABASE_URL=postgres://…), through a `pg` pool.
 *
 * Rows read the same as on SQLite: bigint (int8) and numeric columns arrive as JS numbers
 * (millisecond times and counts fit in 2^53), 0/1 flags stay integers.
 *
 * storeVersion: every writing transaction bumps one row (`openecs_store_version`) just before its
 * COMMIT, so the bump becomes visible with the data and never before it; each process polls that
 * row (and counts its own writes at once), which keys its read caches. A commit hook is also where
 * a `NOTIFY openecs_store` would go for replicas that want sub-poll latency.
 */
import pg from 'pg';
import { PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';

export const VERSION_TABLE = 'openecs_store_version';
/** How often a process reads the version row: other replicas' writes retire cached answers within this. */
export const VERSION_POLL_MS = 250;

const BUMP = `update ${VERSION_TABLE} set version = version + 1 where id = 1`;

/** int8, numeric: numbers, as SQLite returns them. */
const NUMERIC_OIDS = new Set([20, 1700]);
const types = {
  getTypeParser(oid: number, format?: any) {
    if (NUMERIC_OIDS.has(oid)) return (v: string) => Number(v);
    return (pg.types.getTypeParser as any)(oid, format);
  },
};

export type StatementKind = 'read' | 'begin' | 'commit' | 'rollback' | 'write' | 'engine';

/**
 * Tables only the engine reads (operations, their leases): no API answer depends on them, so
 * writing them moves no version. Claiming, renewing and finishing operations then neither costs
 * a version bump nor empties every replica's read cache while the engine works. The audit trail
 * (audit_events, src/audit/) is the same: written on every call, read by no cached answer; so is
 * when an AccessKey was last used (access_key_usage, store/access-key-usage.ts).
 */
const ENGINE_WRITE = /^\s*(update|insert\s+into|delete\s+from)\s+"?(operations|engine_leases|audit_events|access_key_usage)"?[\s(]/i;

/** What a statement does to the store's version (reads and transaction control change nothing by themselves). */
export function statementKind(sqlText: string): StatementKind {
  if (ENGINE_WRITE.test(sqlText)) return 'engine';
  const m = /^\s*(\w+)/.exec(sqlText);
  const word = (m?.[1] ?? '').toLowerCase();
  if (word === 'select' || word === 'show') return 'read';
  if (word === 'begin' || word === 'start') return 'begin';
  if (word === 'commit') return 'commit';
  if (word === 'rollback') return /^\s*rollback\s+to\b/i.test(sqlText) ? 'write' : 'rollback';
  if (word === 'savepoint' || word === 'release') return 'read';
  return 'write';
}

interface Tracked { inTransaction: boolean; dirty: boolean }

/** An INSERT/UPDATE/DELETE/MERGE that touched no row changed nothing; anything else (DDL, LOCK …) may have. */
export function changedData(r: { command?: string; rowCount?: number | null }): boolean {
  if (/^(INSERT|UPDATE|DELETE|MERGE)$/.test(r.command ?? '')) return (r.rowCount ?? 1) > 0;
  return true;
}

/**
 * A pool whose clients count this process's writes that changed data (around a writing COMMIT,
 * and after an autocommit write, so a read overlapping either never keeps its answer under the
 * version it started with) and bump the shared version row in each writing transaction.
 */
function trackingPool(pool: pg.Pool, onWrite: () => void, onEnd: () => void): PostgresPool {
  const state = new WeakMap<pg.PoolClient, Tracked>();
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let s = state.get(client);
      if (!s) { s = { inTransaction: false, dirty: false }; state.set(client, s); }
      const st = s;
      const query = async (text: string, params: readonly unknown[]) => {
        const kind = statementKind(text);
        if (kind === 'read' || kind === 'engine') return client.query(text, params as unknown[]);
        if (kind === 'begin') {
          const r = await client.query(text, params as unknown[]);
          st.inTransaction = true; st.dirty = false;
          return r;
        }
        if (kind === 'commit' || kind === 'rollback') {
          // A transaction that changed nothing (the engine's idle claim) leaves the version alone.
          const dirty = st.dirty;
          try {
            if (kind === 'commit' && dirty) await client.query(BUMP);
            if (dirty) onWrite();
            return await client.query(text, params as unknown[]);
          } finally {
            st.inTransaction = false; st.dirty = false;
            if (dirty) onWrite();
          }
        }
        // Inside a transaction nothing shows before COMMIT; outside one, the count after the
        // statement retires whatever a read overlapping it cached under the version before.
        const r = await client.query(text, params as unknown[]);
        if (!changedData(r)) return r;
        if (st.inTransaction) st.dirty = true;
        else {
          onWrite();
          await client.query(BUMP);
          onWrite();
        }
        return r;
      };
      return { query: query as unknown as PostgresPoolClient['query'], release: () => client.release() };
    },
    async end() {
      onEnd();
      await pool.end();
    },
  };
}

/** The version row, made once; the lock keeps replicas starting together from racing on `create table`. */
async function ensureVersionRow(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select pg_advisory_xact_lock(hashtext('${VERSION_TABLE}'))`);
    await client.query(`create table if not exists ${VERSION_TABLE} (id integer primary key, version bigint not null)`);
    await client.query(`insert into ${VERSION_TABLE} (id, version) values (1, 0) on conflict (id) do nothing`);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

export async function openPostgres(url: string): Promise<{ dialect: PostgresDialect; version: () => string }> {
  const pool = new pg.Pool({ connectionString: url, types, max: 10 });
  // An idle client losing its server (a restart, a failover) must not take the process down.
  pool.on('error', (e) => console.error('[openecs] postgres pool:', e.message));
  try {
    await ensureVersionRow(pool);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }

  let writes = 0;
  let shared = 0;
  let ended = false;
  const readShared = async () => {
    const r = await pool.query(`select version from ${VERSION_TABLE} where id = 1`);
    shared = r.rows[0]?.version ?? 0;
  };
  await readShared();
  let polling = false;
  const timer = setInterval(() => {
    if (polling || ended) return;
    polling = true;
    readShared().catch(() => { writes++; }).finally(() => { polling = false; });
  }, VERSION_POLL_MS);
  timer.unref();

  const dialect = new PostgresDialect({
    pool: trackingPool(pool, () => { writes++; }, () => { ended = true; clearInterval(timer); }),
  });
  return { dialect, version: () => `${writes}:${shared}` };
}
