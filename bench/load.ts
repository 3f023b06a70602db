/** A small closed-loop HTTP load generator: N requests over C keep-alive connections. */
import http from 'node:http';

export interface LoadResult { requests: number; seconds: number; rps: number; p50ms: number; p95ms: number; errors: number; bytes: number }

export async function load(urls: string[], concurrency: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    while (next < urls.length) {
      const url = urls[next++]!;
      const t0 = process.hrtime.bigint();
      const { status, size } = await get(url, agent);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      bytes += size;
      if (status !== 200) errors++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { requests: urls.length, seconds, rps: urls.length / seconds, p50ms: pct(0.5), p95ms: pct(0.95), errors, bytes };
}

function get(url: string, agent: http.Agent): Promise<{ status: number; size: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      let size = 0;
      res.on('data', (c: Buffer) => { size += c.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, size }));
    });
    req.on('error', reject);
  });
}
