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

/** What the server's screen looks like: 32 bpp little-endian pixels (B, G, R, unused), row-major. */
export interface Screen { width: number; height: number; pixels: Buffer }

/**
 * An authenticated RFB session that keeps a copy of the screen: Raw encoding only (plus the
 * DesktopSize pseudo-encoding, so a guest changing its mode resizes the copy), key events.
 */
export async function vncSession(url: string, password: string) {
  const c = await openVnc(url);
  if (c.status !== 101) throw new Error(`WebSocket upgrade answered ${c.status}`);
  await c.read(12);
  c.write(Buffer.from('RFB 003.008\n', 'latin1'));
  const n = (await c.read(1))[0]!;
  const types = [...(await c.read(n))];
  if (!types.includes(2)) throw new Error(`no VNC authentication offered: ${types}`);
  c.write(Buffer.from([2]));
  c.write(vncResponse(password, await c.read(16)));
  if ((await c.read(4)).readUInt32BE(0) !== 0) throw new Error('VNC authentication refused');
  c.write(Buffer.from([1])); // ClientInit: shared
  const init = await c.read(24);
  const nameLen = init.readUInt32BE(20);
  await c.read(nameLen);
  const screen: Screen = { width: init.readUInt16BE(0), height: init.readUInt16BE(2), pixels: Buffer.alloc(0) };
  screen.pixels = Buffer.alloc(screen.width * screen.height * 4);
  // SetPixelFormat: 32 bpp, depth 24, little-endian, true colour, 255/255/255, shifts 16/8/0.
  const pf = Buffer.alloc(20);
  pf[0] = 0;
  Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0]).copy(pf, 4);
  c.write(pf);
  // SetEncodings: Raw (0), DesktopSize (-223).
  const enc = Buffer.alloc(4 + 8);
  enc[0] = 2; enc.writeUInt16BE(2, 2); enc.writeInt32BE(0, 4); enc.writeInt32BE(-223, 8);
  c.write(enc);

  /** Asks for the whole screen and applies messages until that update has arrived. */
  async function snapshot(): Promise<Screen> {
    const req = Buffer.alloc(10);
    req[0] = 3; req[1] = 0; req.writeUInt16BE(screen.width, 6); req.writeUInt16BE(screen.height, 8);
    c.write(req);
    for (;;) {
      const type = (await c.read(1))[0]!;
      if (type === 2) continue; // Bell
      if (type === 3) { const h = await c.read(7); await c.read(h.readUInt32BE(3)); continue; } // ServerCutText
      if (type !== 0) throw new Error(`unexpected RFB server message ${type}`);
      const rects = (await c.read(3)).readUInt16BE(1);
      let resized = false;
      for (let i = 0; i < rects; i++) {
        const h = await c.read(12);
        const [x, y, w, hgt, e] = [h.readUInt16BE(0), h.readUInt16BE(2), h.readUInt16BE(4), h.readUInt16BE(6), h.readInt32BE(8)];
        if (e === -223) {
          Object.assign(screen, { width: w, height: hgt, pixels: Buffer.alloc(w * hgt * 4) });
          resized = true;
          continue;
        }
        if (e !== 0) throw new Error(`unexpected encoding ${e}`);
        const data = await c.read(w * hgt * 4);
        for (let row = 0; row < hgt; row++) {
          data.copy(screen.pixels, ((y + row) * screen.width + x) * 4, row * w * 4, (row + 1) * w * 4);
        }
      }
      // After a resize the full update must be asked for again at the new size.
      if (resized) { req.writeUInt16BE(screen.width, 6); req.writeUInt16BE(screen.height, 8); c.write(req); continue; }
      return { width: screen.width, height: screen.height, pixels: Buffer.from(screen.pixels) };
    }
  }

  /** Sends keysyms (down then up); shifted US-layout characters are typed with Shift_L held. */
  function type(text: string) {
    const key = (down: boolean, sym: number) => {
      const b = Buffer.alloc(8);
      b[0] = 4; b[1] = down ? 1 : 0; b.writeUInt32BE(sym, 4);
      c.write(b);
    };
    for (const ch of text) {
      const sym = ch === '\n' ? 0xff0d : ch.charCodeAt(0);
      const shift = /[A-Z~!@#$%^&*()_+{}|:"<>?]/.test(ch);
      if (shift) key(true, 0xffe1);
      key(true, sym); key(false, sym);
      if (shift) key(false, 0xffe1);
    }
  }

  return { snapshot, type, close: () => c.close() };
}

/** Pixels that differ from the most common colour (the background): how much is drawn. */
export function ink(s: Screen): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.pixels.length; i += 4) {
    const p = s.pixels.readUInt32LE(i) & 0xffffff;
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return s.width * s.height - Math.max(0, ...counts.values());
}
