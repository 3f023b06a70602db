/**
 * The data dir holds what must stay the server's own: the server key sealing the store's secrets,
 * the root AccessKey made on first start (credentials.json), the TLS private key and the SQLite
 * database. The server makes them owner-only (0700 folders, 0600 files); `openecs doctor` checks
 * they still are, and owned by the user the server runs as, and says how to fix each that is not.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_KEY_FILE } from './secrets.js';

/** Makes the data dir owner-only when it does not exist yet (a folder an operator made is left as made: doctor reports it). */
export function ensurePrivateDataDir(dataDir: string): void {
  if (dataDir === ':memory:' || existsSync(dataDir)) return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/** The secret files of a data dir, relative to it; those that do not exist are not checked. */
export const SECRET_FILES = [
  SERVER_KEY_FILE, 'credentials.json', 'openecs.db', 'openecs.db-wal', 'openecs.db-shm', 'tls', join('tls', 'server-key.pem'),
];

export interface PermissionProblem {
  path: string;
  problem: string;
  /** The command that fixes it. */
  fix: string;
}

export interface PermissionCheck {
  /** Each path looked at, with its mode (octal) when it exists. */
  checked: { path: string; mode: string }[];
  problems: PermissionProblem[];
}

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(3, '0');
const quote = (p: string) => (/^[A-Za-z0-9_./:@%+=-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

/**
 * `extraFiles`: secret files outside the data dir (OPENECS_SERVER_KEY_FILE, OPENECS_TLS_KEY).
 * `uid`: the user the server runs as (the current process's by default).
 */
export function checkDataDirPermissions(dataDir: string, opts: { extraFiles?: string[]; uid?: number } = {}): PermissionCheck {
  const uid = opts.uid ?? process.getuid?.();
  const out: PermissionCheck = { checked: [], problems: [] };
  const paths = dataDir === ':memory:' ? [] : [dataDir, ...SECRET_FILES.map((f) => join(dataDir, f))];
  for (const path of [...paths, ...(opts.extraFiles ?? [])]) {
    if (!existsSync(path)) {
      if (path === dataDir) out.problems.push({ path, problem: 'does not exist', fix: `mkdir -m 700 -p ${quote(path)}` });
      continue;
    }
    const st = statSync(path);
    out.checked.push({ path, mode: octal(st.mode) });
    const dir = st.isDirectory();
    if (st.mode & 0o077) {
      const whom = [st.mode & 0o070 ? 'group' : '', st.mode & 0o007 ? 'others' : ''].filter(Boolean).join(' and ');
      out.problems.push({
        path,
        problem: `mode ${octal(st.mode)}: open to ${whom}`,
        fix: `chmod ${dir ? '700' : '600'} ${quote(path)}`,
      });
    }
    if (uid !== undefined && st.uid !== uid) {
      out.problems.push({ path, problem: `owned by uid ${st.uid}, not by the user the server runs as (uid ${uid})`, fix: `chown ${uid} ${quote(path)}` });
    }
  }
  return out;
}
