/**
 * Host processes found by what they run, and a lock shared by every process on the host. The
 * daemons a server leaves behind on purpose (dnsmasq, the metadata helper) are judged by their
 * command lines, never by a pid file alone: a pid file names one process, and a crash between
 * spawning a daemon and writing its pid file, or two servers starting one at once, leaves another
 * that no pid file names.
 */
import { open, readFile, readdir, stat, unlink } from 'node:fs/promises';

export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** The argument vector of a live process, or undefined (gone, or no /proc). */
export async function commandLine(pid: number): Promise<string[] | undefined> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return raw ? raw.replace(/\0$/, '').split('\0') : undefined;
}

/** Live processes whose command line satisfies `match`, lowest pid first. */
export async function findProcesses(match: (argv: string[]) => boolean): Promise<number[]> {
  const names = await readdir('/proc').catch(() => [] as string[]);
  const out: number[] = [];
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    const argv = await commandLine(Number(n));
    if (argv && match(argv)) out.push(Number(n));
  }
  return out.sort((a, b) => a - b);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`; returns once every one is gone. */
export async function terminate(pids: number[], graceMs = 1000): Promise<void> {
  for (const pid of pids) { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
  const deadline = Date.now() + graceMs;
  while (pids.some(pidAlive) && Date.now() < deadline) await sleep(25);
  for (const pid of pids.filter(pidAlive)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  for (let i = 0; i < 80 && pids.some(pidAlive); i++) await sleep(25);
}

/**
 * Runs `fn` holding `file` as an exclusive lock across processes (created with O_EXCL, holding
 * the owner's pid). A lock whose owner is dead (`kill -9` while holding it) or that is older than
 * `staleMs` is taken over. In-process callers queue behind each other too.
 */
export async function withHostLock<T>(file: string, fn: () => Promise<T>, staleMs = 60_000): Promise<T> {
  const prev = queues.get(file) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => { release = r; });
  const tail = prev.then(() => mine);
  queues.set(file, tail);
  await prev;
  try {
    await acquire(file, staleMs);
    try { return await fn(); } finally { await unlink(file).catch(() => {}); }
  } finally {
    release();
    if (queues.get(file) === tail) queues.delete(file);
  }
}

const queues = new Map<string, Promise<void>>();

async function acquire(file: string, staleMs: number): Promise<void> {
  const deadline = Date.now() + staleMs + 5000;
  for (;;) {
    try {
      const h = await open(file, 'wx');
      await h.writeFile(String(process.pid));
      await h.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = await readFile(file, 'utf8').then((t) => Number(t.trim()), () => 0);
    const age = await stat(file).then((s) => Date.now() - s.mtimeMs, () => 0);
    // An owner that has not written its pid yet is given a moment before the lock counts as stale.
    const dead = owner ? owner !== process.pid && !pidAlive(owner) : age > 2000;
    if (dead || age > staleMs) { await unlink(file).catch(() => {}); continue; }
    if (Date.now() > deadline) throw new Error(`${file}: held by process ${owner} for ${Math.round(age)} ms`);
    await sleep(20);
  }
}
