/**
 * Rendered answers of read actions, served again while the store has not changed. Automation polls
 * the same DescribeInstances pages over and over (Terraform and SDK waiters); between two writes
 * each page is the same bytes but for its RequestId, so the text is kept with a placeholder there.
 * An entry is only stored when the store's version did not move while the handler read, so an
 * answer can never mix data from before and after a write.
 *
 * Over its budget, the cache first compresses its least recently used large answers (a page of
 * 100 instances, 260 KB of JSON, deflates to a few percent) and drops answers only when that is
 * not enough: a poller walking 1,000 pages of 100,000 instances still finds them all, at the cost
 * of inflating each on its hit.
 */
import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const REQUEST_ID_PLACEHOLDER = `OPENECS-REQUEST-ID-${randomBytes(8).toString('hex')}`;

/** The text before the RequestId placeholder, and the encoded rest: a hit copies bytes, it does not re-encode. */
interface Entry { version: string; type: string; head: string; tail: Buffer; deflated: boolean; bytes: number }

/** Smaller answers are not worth compressing. */
const DEFLATE_FROM = 16 * 1024;

export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  /** `maxBytes` 0 disables the cache. */
  constructor(private readonly maxBytes: number) {}

  get enabled(): boolean { return this.maxBytes > 0; }

  /** The answer for `key` with this RequestId, if it was rendered at this store version. */
  get(key: string, version: string, requestId: string): { type: string; body: Buffer } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.version !== version) { this.drop(key, e); return undefined; }
    // Most recently used last: eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, e);
    return { type: e.type, body: Buffer.concat([Buffer.from(e.head + requestId), e.deflated ? inflateRawSync(e.tail) : e.tail]) };
  }

  /** `text` holds REQUEST_ID_PLACEHOLDER as its RequestId, the body's first field (so its first occurrence). */
  put(key: string, version: string, type: string, text: string): void {
    const at = text.indexOf(REQUEST_ID_PLACEHOLDER);
    if (!this.enabled || at < 0 || text.length - REQUEST_ID_PLACEHOLDER.length > this.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    const tail = Buffer.from(text.slice(at + REQUEST_ID_PLACEHOLDER.length));
    const entry: Entry = { version, type, head: text.slice(0, at), tail, deflated: false, bytes: tail.length + at };
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const e of this.entries.values()) {
      if (this.bytes <= this.maxBytes) return;
      if (!e.deflated && e.tail.length >= DEFLATE_FROM) this.deflate(e);
    }
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) return;
      this.drop(k, e);
    }
  }

  private deflate(e: Entry): void {
    const z = deflateRawSync(e.tail, { level: 1 });
    this.bytes -= e.tail.length - z.length;
    e.bytes -= e.tail.length - z.length;
    e.tail = z;
    e.deflated = true;
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }
}
