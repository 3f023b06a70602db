/**
 * Fresh PostgreSQL databases for tests: OPENECS_TEST_DATABASE_URL names a cluster (any database
 * on it, e.g. tools/pg-test-cluster.sh's `…/postgres`); each test server gets its own empty
 * database there, dropped when the server closes.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export function testDatabaseCluster(): string | undefined {
  return process.env.OPENECS_TEST_DATABASE_URL || undefined;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(clusterUrl: string): Promise<TestDatabase> {
  const name = `openecs_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(clusterUrl, `create database ${name} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(clusterUrl, `drop database if exists ${name} with (force)`),
  };
}

async function admin(clusterUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * The stores a test run has: SQLite in memory always, PostgreSQL (a fresh database, dropped by
 * `done`) with OPENECS_TEST_DATABASE_URL. `open` is the store opener the test needs (migrated or not).
 */
export function storesUnderTest<D extends { destroy(): Promise<void> }>(
  open: (o: { dataDir: string; databaseUrl?: string }) => Promise<D>,
): ['sqlite' | 'postgres', () => Promise<{ db: D; done: () => Promise<void> }>][] {
  const stores: ['sqlite' | 'postgres', () => Promise<{ db: D; done: () => Promise<void> }>][] = [
    ['sqlite', async () => { const db = await open({ dataDir: ':memory:' }); return { db, done: () => db.destroy() }; }],
  ];
  const cluster = testDatabaseCluster();
  if (cluster) {
    stores.push(['postgres', async () => {
      const database = await createTestDatabase(cluster);
      const db = await open({ dataDir: ':memory:', databaseUrl: database.url });
      return { db, done: async () => { await db.destroy(); await database.drop(); } };
    }]);
  }
  return stores;
}
