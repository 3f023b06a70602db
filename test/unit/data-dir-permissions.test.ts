/**
 * `openecs doctor`'s data dir check: the data dir and each secret file in it (server key, root
 * credentials, SQLite files, TLS key) must be the running user's alone; every problem is reported
 * with the command that fixes it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDataDirPermissions } from '../../src/auth/data-dir.js';
import { dataDirReport } from '../../src/cli/doctor.js';

function dataDir(modes: { dir: number; files: Record<string, number> }): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'openecs-perm-'));
  const dir = join(root, 'data');
  mkdirSync(join(dir, 'tls'), { recursive: true });
  chmodSync(join(dir, 'tls'), 0o700);
  for (const [f, mode] of Object.entries(modes.files)) {
    writeFileSync(join(dir, f), 'x');
    chmodSync(join(dir, f), mode);
  }
  chmodSync(dir, modes.dir);
  return { root, dir };
}

describe('data dir permissions', () => {
  const uid = process.getuid!();
  const cases: { name: string; dir: number; files: Record<string, number>; problems: [string, string][] }[] = [
    { name: 'owner-only', dir: 0o700, files: { 'server.key': 0o600, 'openecs.db': 0o600, 'credentials.json': 0o600, 'tls/server-key.pem': 0o600 }, problems: [] },
    { name: 'a world-readable data dir', dir: 0o755, files: { 'server.key': 0o600 }, problems: [['', 'chmod 700']] },
    { name: 'a group-readable server key', dir: 0o700, files: { 'server.key': 0o640 }, problems: [['server.key', 'chmod 600']] },
    {
      name: 'database and TLS key left at the umask', dir: 0o700, files: { 'openecs.db': 0o644, 'openecs.db-wal': 0o644, 'tls/server-key.pem': 0o644 },
      problems: [['openecs.db', 'chmod 600'], ['openecs.db-wal', 'chmod 600'], ['tls/server-key.pem', 'chmod 600']],
    },
    { name: 'root credentials open to others', dir: 0o711, files: { 'credentials.json': 0o604 }, problems: [['', 'chmod 700'], ['credentials.json', 'chmod 600']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { root, dir } = dataDir(c);
      try {
        const r = checkDataDirPermissions(dir, { uid });
        const got = r.problems.map((p) => [p.path === dir ? '' : p.path.slice(dir.length + 1), p.fix.split(' ').slice(0, 2).join(' ')]);
        assert.deepEqual(got, c.problems);
        for (const p of r.problems) assert.ok(p.fix.endsWith(p.path), `the fix names the path: ${p.fix}`);
        assert.ok(r.checked.some((x) => x.path === dir));
      } finally {
        chmodSync(join(root, 'data'), 0o700);
        rmSync(root, { recursive: true, force: true });
      }
    });
  }

  it('reports a file owned by another user with chown, and a missing data dir with mkdir', () => {
    const { root, dir } = dataDir({ dir: 0o700, files: { 'server.key': 0o600 } });
    try {
      const r = checkDataDirPermissions(dir, { uid: uid + 1 });
      assert.deepEqual(r.problems.map((p) => p.path), [dir, join(dir, 'server.key'), join(dir, 'tls')]);
      assert.match(r.problems[0]!.problem, new RegExp(`owned by uid ${uid}, not by the user the server runs as \\(uid ${uid + 1}\\)`));
      assert.equal(r.problems[1]!.fix, `chown ${uid + 1} ${join(dir, 'server.key')}`);
      assert.deepEqual(checkDataDirPermissions(join(root, 'nope'), { uid }).problems.map((p) => p.fix), [`mkdir -m 700 -p ${join(root, 'nope')}`]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('doctor says ok, or one FAIL line per problem with its fix; a shared key file outside is checked too', () => {
    const { root, dir } = dataDir({ dir: 0o700, files: { 'server.key': 0o600 } });
    try {
      const config = { dataDir: dir, tls: { enabled: true }, serverKeyFile: undefined as string | undefined };
      const ok = dataDirReport(config, uid);
      assert.equal(ok.ok, true);
      assert.match(ok.lines[0]!, /^ok {4}data dir: /);
      const shared = join(root, 'shared.key');
      writeFileSync(shared, 'k', { mode: 0o644 });
      chmodSync(shared, 0o644);
      chmodSync(dir, 0o750);
      const bad = dataDirReport({ ...config, serverKeyFile: shared }, uid);
      assert.equal(bad.ok, false);
      assert.deepEqual(bad.lines, [
        `FAIL  data dir: ${dir}: mode 750: open to group; fix: chmod 700 ${dir}`,
        `FAIL  data dir: ${shared}: mode 644: open to group and others; fix: chmod 600 ${shared}`,
      ]);
    } finally {
      chmodSync(join(root, 'data'), 0o700);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
