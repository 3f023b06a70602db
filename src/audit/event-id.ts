/**
 * Event ids in the UUID v7 layout (RFC 9562): 48 bits of wall-clock milliseconds, then a counter
 * within the millisecond, then random bits. LookupEvents orders events of one `eventTime` by id,
 * so ids that sort in the order calls ended keep a page boundary stable and newest-first true
 * even when many calls share a time (a server on a manual or offset clock).
 */
import { randomPooledBytes } from '../domain/ids.js';

let lastMs = 0;
let counter = 0;

export function newEventId(now = Date.now()): string {
  // The wall clock can step back: keep ids increasing within this process.
  if (now > lastMs) { lastMs = now; counter = 0; } else counter++;
  if (counter > 0xfff) { lastMs++; counter = 0; }
  const b = randomPooledBytes(16);
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (counter >> 8); // version 7, counter high bits
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f); // RFC 9562 variant
  const h = b.toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
