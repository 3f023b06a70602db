/**
 * The management terminal: QEMU serves each guest's VNC on a unix socket (reachable from the
 * host even when QEMU runs inside the instance namespace); this proxy carries it over WebSocket
 * (RFC 6455, binary frames, as noVNC speaks it) on its own listener, like ECS's separate VNC
 * endpoint. DescribeInstanceVncUrl hands out a one-time token valid for 15 seconds (the API
 * reference: the URL expires if no connection is made within 15 s).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createConnection, type Socket } from 'node:net';

export const VNC_URL_TTL_MS = 15_000;

interface Ticket { socketPath: string; instanceId: string; expires: number }

export class VncProxy {
  private server?: Server;
  private listening?: Promise<string>;
  private tickets = new Map<string, Ticket>();
  /** One session per instance at a time (guide L260): a new connection replaces the old one. */
  private sessions = new Map<string, Socket>();

  constructor(private host = '127.0.0.1', private port = 0, private publicBase?: string) {}

  /** Starts listening once; resolves the base URL (`ws://host:port`). */
  start(): Promise<string> {
    this.listening ??= new Promise((resolve, reject) => {
      const server = createServer((_req, res) => { res.writeHead(426, { 'content-type': 'text/plain' }); res.end('WebSocket only\n'); });
      server.on('upgrade', (req, socket) => this.upgrade(req, socket as Socket));
      server.on('error', reject);
      server.listen(this.port, this.host, () => {
        const a = server.address();
        const port = typeof a === 'object' && a ? a.port : this.port;
        resolve(this.publicBase ?? `ws://${this.host}:${port}`);
      });
      server.unref();
      this.server = server;
    });
    return this.listening;
  }

  async url(instanceId: string, socketPath: string, now = Date.now()): Promise<string> {
    const base = await this.start();
    for (const [k, t] of this.tickets) if (t.expires < now) this.tickets.delete(k);
    const token = randomBytes(18).toString('base64url');
    this.tickets.set(token, { socketPath, instanceId, expires: now + VNC_URL_TTL_MS });
    return `${base}/webSocket/?s=${token}`;
  }

  private upgrade(req: IncomingMessage, socket: Socket) {
    const fail = (code: number, msg: string) => { socket.end(`HTTP/1.1 ${code} ${msg}\r\nConnection: close\r\n\r\n`); };
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('s') ?? '';
    const ticket = this.tickets.get(token);
    this.tickets.delete(token);
    if (!ticket || ticket.expires < Date.now()) return fail(403, 'Forbidden');
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string' || req.headers.upgrade?.toLowerCase() !== 'websocket') return fail(400, 'Bad Request');
    const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const proto = protocols.includes('binary') ? 'binary' : undefined;
    const vnc = createConnection(ticket.socketPath);
    vnc.on('error', () => socket.destroy());
    vnc.once('connect', () => {
      socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`,
        ...(proto ? [`Sec-WebSocket-Protocol: ${proto}`] : []), '', ''].join('\r\n'));
      this.sessions.get(ticket.instanceId)?.destroy();
      this.sessions.set(ticket.instanceId, socket);
      vnc.on('data', (d: Buffer) => socket.write(frame(2, d)));
      vnc.on('close', () => { socket.end(frame(8, Buffer.alloc(0))); });
      let buf = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        for (;;) {
          const f = parseFrame(buf);
          if (!f) break;
          buf = buf.subarray(f.length);
          if (f.opcode === 8) { socket.end(frame(8, Buffer.alloc(0))); vnc.destroy(); return; }
          if (f.opcode === 9) { socket.write(frame(10, f.payload)); continue; }
          if (f.opcode === 0 || f.opcode === 1 || f.opcode === 2) vnc.write(f.payload);
        }
      });
      socket.on('close', () => { vnc.destroy(); if (this.sessions.get(ticket.instanceId) === socket) this.sessions.delete(ticket.instanceId); });
      socket.on('error', () => vnc.destroy());
    });
  }

  async close() {
    for (const s of this.sessions.values()) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** A server frame (unmasked, FIN set). */
export function frame(opcode: number, payload: Buffer, mask?: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536
    ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 255])
    : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
  if (!mask) return Buffer.concat([head, payload]);
  head[1]! |= 0x80;
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([head, mask, body]);
}

/** Parses one frame (masked or not) from the front of `b`, or undefined when incomplete. */
export function parseFrame(b: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (b.length < 2) return undefined;
  const opcode = b[0]! & 15;
  const masked = (b[1]! & 0x80) !== 0;
  let len = b[1]! & 127;
  let off = 2;
  if (len === 126) { if (b.length < 4) return undefined; len = b.readUInt16BE(2); off = 4; }
  else if (len === 127) { if (b.length < 10) return undefined; len = Number(b.readBigUInt64BE(2)); off = 10; }
  const maskKey = masked ? b.subarray(off, off + 4) : undefined;
  if (masked) off += 4;
  if (b.length < off + len) return undefined;
  const payload = Buffer.from(b.subarray(off, off + len));
  if (maskKey) for (let i = 0; i < payload.length; i++) payload[i]! ^= maskKey[i % 4]!;
  return { opcode, payload, length: off + len };
}
