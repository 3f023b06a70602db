/**
 * A QMP client (QEMU Machine Protocol: JSON lines over a unix socket). The driver opens a short
 * session per action instead of holding a connection, so a restarted server re-attaches to a
 * running guest just by connecting again.
 */
import { createConnection, type Socket } from 'node:net';

export interface QmpStatus { status: string; running: boolean }
export interface QmpBlockStats { device: string; qdev?: string; stats: { rd_bytes: number; wr_bytes: number; rd_operations: number; wr_operations: number } }

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class QmpError extends Error {
  constructor(readonly qmpClass: string, message: string) { super(`QMP ${qmpClass}: ${message}`); }
}

export class QmpClient {
  private buf = '';
  private nextId = 1;
  private pending = new Map<string, Pending>();
  private greeting?: Pending;
  private closed = false;
  readonly events: { event: string; data?: unknown }[] = [];

  private constructor(private sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => this.onData(d));
    const fail = (e: Error) => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.greeting?.reject(e);
    };
    sock.on('error', fail);
    sock.on('close', () => fail(new Error('QMP connection closed')));
  }

  /** Connects, reads the greeting and leaves capabilities negotiation done. */
  static async connect(path: string, timeoutMs = 3000): Promise<QmpClient> {
    const sock = createConnection(path);
    const client = new QmpClient(sock);
    const timer = setTimeout(() => sock.destroy(new Error(`QMP connect timeout (${path})`)), timeoutMs);
    try {
      await new Promise<unknown>((resolve, reject) => { client.greeting = { resolve, reject }; });
      await client.execute('qmp_capabilities');
    } catch (e) {
      sock.destroy();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return client;
  }

  private onData(d: string) {
    this.buf += d;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line) continue;
      let msg: Record<string, any>;
      try { msg = JSON.parse(line); } catch { continue; }
      if (msg.QMP) { this.greeting?.resolve(msg); this.greeting = undefined; continue; }
      if (msg.event) { this.events.push({ event: msg.event, data: msg.data }); continue; }
      const id = String(msg.id ?? '');
      const p = this.pending.get(id);
      if (!p) continue;
      this.pending.delete(id);
      if (msg.error) p.reject(new QmpError(msg.error.class, msg.error.desc));
      else p.resolve(msg.return);
    }
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = 5000): Promise<T> {
    if (this.closed) return Promise.reject(new Error('QMP connection closed'));
    const id = String(this.nextId++);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(id); reject(new Error(`QMP ${command} timed out`)); }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v as T); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.sock.write(JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id }) + '\n');
    });
  }

  queryStatus() { return this.execute<QmpStatus>('query-status'); }
  powerdown() { return this.execute('system_powerdown'); }
  reset() { return this.execute('system_reset'); }
  blockStats() { return this.execute<QmpBlockStats[]>('query-blockstats'); }
  /** `quit` ends QEMU; the connection closes under us, which is the expected answer. */
  async quit() { await this.execute('quit').catch(() => {}); }

  close() { this.closed = true; this.sock.destroy(); }
}

/** One short QMP session. */
export async function withQmp<T>(path: string, fn: (c: QmpClient) => Promise<T>): Promise<T> {
  const c = await QmpClient.connect(path);
  try { return await fn(c); } finally { c.close(); }
}
