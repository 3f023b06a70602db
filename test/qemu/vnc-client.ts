/** A minimal WebSocket + RFB (VNC) client for tests: connects to a VncUrl and runs VNC authentication. */
import { createCipheriv, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { frame, parseFrame } from '../../src/compute/qemu/vnc-proxy.js';

/** VNC authentication: DES-ECB of the challenge under the password, each key byte bit-reversed. */
export function vncResponse(password: string, challenge: Buffer): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) { let b = key[i]!, r = 0; for (let j = 0; j < 8; j++) { r = (r << 1) | (b & 1); b >>= 1; } key[i] = r; }
  // Single DES as EDE with K1 = K2 (OpenSSL 3 keeps plain DES in the legacy provider only).
  const c = createCipheriv('des-ede-ecb', Buffer.concat([key, key]), null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(challenge), c.final()]);
}

/** Opens the WebSocket; `read(n)` resolves n bytes of the VNC stream. */
export async function openVnc(url: string): Promise<{ status: number; read(n: number): Promise<Buffer>; write(b: Buffer): void; close(): void }> {
  const u = new URL(url);
  const sock: Socket = connect(Number(u.port), u.hostname);
  await new Promise<void>((res, rej) => { sock.once('connect', () => res()); sock.once('error', rej); });
  sock.write([`GET ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Protocol: binary', '', ''].join('\r\n'));
  let raw = Buffer.alloc(0);
  let stream = Buffer.alloc(0);
  let headerDone = false;
  let status = 0;
  const waiters: (() => void)[] = [];
  let ended = false;
  const statusKnown = new Promise<void>((resolve) => {
    sock.on('data', (d: Buffer) => {
      raw = Buffer.concat([raw, d]);
      if (!headerDone) {
        const i = raw.indexOf('\r\n\r\n');
        if (i < 0) return;
        status = Number(/^HTTP\/1\.1 (\d+)/.exec(raw.subarray(0, i).toString())?.[1] ?? 0);
        raw = raw.subarray(i + 4);
        headerDone = true;
        resolve();
      }
      for (;;) {
        const f = parseFrame(raw);
        if (!f) break;
        raw = raw.subarray(f.length);
        if (f.opcode === 2 || f.opcode === 0) stream = Buffer.concat([stream, f.payload]);
      }
      waiters.splice(0).forEach((w) => w());
    });
    sock.on('close', () => { ended = true; resolve(); waiters.splice(0).forEach((w) => w()); });
    sock.on('error', () => {});
  });
  await statusKnown;
  return {
    status,
    async read(n: number) {
      const deadline = Date.now() + 10_000;
      while (stream.length < n) {
        if (ended || Date.now() > deadline) throw new Error(`VNC stream ended after ${stream.length} of ${n} bytes`);
        await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 200); });
      }
      const out = stream.subarray(0, n);
      stream = stream.subarray(n);
      return out;
    },
    write(b: Buffer) { sock.write(frame(2, b, randomBytes(4))); },
    close() { sock.destroy(); },
  };
}

/** RFB 3.8 handshake with VNC authentication; resolves the SecurityResult (0 = OK). */
export async function vncLogin(url: string, password: string): Promise<{ version: string; types: number[]; result: number }> {
  const c = await openVnc(url);
  if (c.status !== 101) throw new Error(`WebSocket upgrade answered ${c.status}`);
  try {
    const version = (await c.read(12)).toString('latin1');
    c.write(Buffer.from('RFB 003.008\n', 'latin1'));
    const n = (await c.read(1))[0]!;
    const types = [...(await c.read(n))];
    c.write(Buffer.from([2]));
    const challenge = await c.read(16);
    c.write(vncResponse(password, challenge));
    const result = (await c.read(4)).readUInt32BE(0);
    return { version, types, result };
  } finally {
    c.close();
  }
}
