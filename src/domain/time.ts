/** The time formats ECS uses on the wire. */

/** `2026-11-23T06:00Z`: instance times (CreationTime, StartTime, ExpiredTime). */
export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}

/** `2026-11-23T06:00:00Z`: most other times. */
export function isoSecond(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** Parses `yyyy-MM-ddTHH:mm[:ss]Z` (UTC, as the API requires); undefined when malformed. */
export function parseUtc(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, se!);
  const check = new Date(ms);
  if (check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d! || h! > 23 || mi! > 59 || se! > 59) return undefined;
  return ms;
}

/** ExpiredTime of pay-as-you-go instances in ECS: a far-future sentinel. */
export const PAY_AS_YOU_GO_EXPIRED_TIME = '2099-12-31T15:59Z';
