/**
 * Runs host tools (qemu-img, mke2fs, xz, ip, nft) and fails with their stderr, so errors say what
 * broke. Shared by the compute driver, the host network (src/network) and the CLI; it knows
 * nothing of OpenECS.
 */
import { execFile, spawn } from 'node:child_process';

export interface RunResult { stdout: string; stderr: string }

export function run(cmd: string, args: string[], opts: { input?: Buffer | string; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000, cwd: opts.cwd, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`));
        else resolve({ stdout, stderr });
      });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Pipes `input` through a filter (xz -dc, zstd -dc) and collects binary output. */
export function filter(cmd: string, args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const buf = Buffer.concat(out);
      // Kernel payloads carry trailing bytes (the size suffix); a filter may complain about them
      // after having written the whole image, so judge by output, not only by exit status.
      if (code === 0 || buf.length > 0) resolve(buf);
      else reject(new Error(`${cmd}: ${err.trim() || `exit ${code}`}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** The first executable found on PATH (plus sbin dirs, which non-login shells may miss). */
export async function which(name: string): Promise<string | undefined> {
  const { access, constants } = await import('node:fs/promises');
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = `${d}/${name}`;
    try { await access(p, constants.X_OK); return p; } catch { /* next */ }
  }
  return undefined;
}
