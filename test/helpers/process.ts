/** Runs the real `openecs serve` as a child process (for restart and kill -9 tests). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/openecs.js', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ServerProcess { child: ChildProcess; url: string; output: () => string; kill9(): Promise<void>; stop(): Promise<void> }

/** `startTimeoutMs`: how long the server may take to listen (crash storms on a loaded host give it more). */
export async function spawnServer(env: Record<string, string>, port: number, nodeArgs: string[] = [], startTimeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, bin, 'serve'], {
    env: { ...process.env, ...env, OPENECS_PORT: String(port), OPENECS_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + startTimeoutMs;
  while (!out.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`server did not start: ${out}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    async kill9() { child.kill('SIGKILL'); await exited; },
    async stop() { if (child.exitCode === null) { child.kill('SIGTERM'); await exited; } },
  };
}
