/** A small closed-loop HTTP load generator: N requests over C keep-alive connections. */
import http from 'node:http';

export interface LoadResult { requests: number; seconds: number; rps: number; p50ms: number; p95ms: number; errors: number; bytes: number; cpuMsPerCall?: number; firstError?: string }

export async function load(urls: string[], concurrency: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let bytes = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  async function worker() {
    while (next < urls.length) {
      const url = urls[next++]!;
      const t0 = process.hrtime.bigint();
      let answer = await get(url, agent);
      // A kept-alive connection the server closed just as it was reused (ECONNRESET) is tried
      // once more on a new one; the request never reached the handler (and RunInstances here
      // carries a ClientToken).
      if (answer.status === 0) answer = await get(url, agent);
      const { status, size, text } = answer;
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      bytes += size;
      if (status !== 200) { errors++; firstError ??= `${status} ${text.slice(0, 500)}`; }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { requests: urls.length, seconds, rps: urls.length / seconds, p50ms: pct(0.5), p95ms: pct(0.95), errors, bytes, firstError };
}

/** The status and size of an answer (and its start, when it is an error). */
function get(url: string, agent: http.Agent): Promise<{ status: number; size: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      let size = 0;
      let text = '';
      res.on('data', (c: Buffer) => { size += c.length; if (res.statusCode !== 200 && text.length < 1000) text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, size, text }));
    });
    // A refused or reset connection is an error of the call, counted like a non-200 answer.
    req.on('error', (e) => resolve({ status: 0, size: 0, text: String(e) }));
  });
}
