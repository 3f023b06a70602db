/**
 * Per-AccessKey flow control: a token bucket per key, in this process's memory. Behind a load
 * balancer each replica keeps its own buckets, so a key's allowance is per replica (N replicas
 * let a key through at up to N times the rate); a limit shared by all would cost a store round
 * trip on every call.
 */
import type { RateLimitSettings } from '../config.js';
import { EcsError } from '../domain/errors.js';

export type Admission = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket { tokens: number; at: number }

/** Beyond this many keys, buckets that have refilled (and so are as good as new) are dropped. */
const SWEEP_AT = 10_000;

export class RateLimiter {
  private buckets = new Map<string, Bucket>();
  private readonly refillMs: number;

  constructor(private settings: RateLimitSettings, private now: () => number = () => performance.now()) {
    if (!(settings.perSecond > 0) || !(settings.burst >= 1)) throw new Error('RateLimiter: perSecond must be > 0 and burst >= 1');
    // A bucket idle this long is full again: forgetting it changes nothing.
    this.refillMs = (settings.burst / settings.perSecond) * 1000;
  }

  /** Takes one token from `key`'s bucket; when none is left, how long until one is. */
  take(key: string): Admission {
    const now = this.now();
    const { perSecond, burst } = this.settings;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      b = { tokens: burst, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) * perSecond) / 1000);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - b.tokens) * 1000) / perSecond) };
  }

  /** Keys with a bucket (for tests of the sweep). */
  get size(): number { return this.buckets.size; }

  private sweep(now: number) {
    for (const [key, b] of this.buckets) if (now - b.at >= this.refillMs) this.buckets.delete(key);
  }
}

/**
 * ECS's answer to a key over its flow control (the metadata lists `Throttling.User` with this
 * message, 400). `x-acs-retry-after` (milliseconds) is what the official SDKs read into a
 * ThrottlingError's `retryAfter` and wait for when retrying.
 */
export class UserThrottled extends EcsError {
  constructor(readonly retryAfterMs: number) {
    super('Throttling.User', 'Request was denied due to user flow control.', 400);
  }
}

export function throttleHeaders(e: unknown): Record<string, string> {
  return e instanceof UserThrottled ? { 'x-acs-retry-after': String(e.retryAfterMs) } : {};
}
