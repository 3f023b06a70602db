/**
 * Automatic snapshot policy schedules. CreateAutoSnapshotPolicy `timePoints`: "使用UTC +8时间，
 * 单位为小时。取值范围：0~23" (also 002:L1968); `repeatWeekdays` 1–7, 1 being Monday. Both arrive
 * as JSON arrays of strings, e.g. ["0","1"]. A policy fires on the hour, at every time point of
 * every repeat weekday, in UTC+8.
 */
import { EcsError } from '../errors.js';

export const POLICY_TZ_OFFSET_MS = 8 * 3_600_000;
const HOUR_MS = 3_600_000;

export interface Schedule { timePoints: number[]; repeatWeekdays: number[] }

function parseIntList(raw: string, name: string, min: number, max: number): number[] {
  let v: unknown;
  try { v = JSON.parse(raw); } catch { v = undefined; }
  const bad = () => new EcsError('InvalidParameter', `The specified parameter "${name}" is not valid: a JSON array such as ["${min}","${max}"] of integers from ${min} to ${max}.`, 400);
  if (!Array.isArray(v) || v.length === 0 || v.length > max - min + 1) throw bad();
  const out = new Set<number>();
  for (const x of v) {
    const s = typeof x === 'number' ? String(x) : x;
    if (typeof s !== 'string' || !/^\d{1,2}$/.test(s.trim())) throw bad();
    const n = Number(s);
    if (n < min || n > max) throw bad();
    out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

export function parseTimePoints(raw: string): number[] {
  return parseIntList(raw, 'timePoints', 0, 23);
}

export function parseRepeatWeekdays(raw: string): number[] {
  return parseIntList(raw, 'repeatWeekdays', 1, 7);
}

/** The ISO weekday (1 = Monday … 7 = Sunday) and hour of an instant in UTC+8. */
export function localWeekdayHour(ms: number): { weekday: number; hour: number } {
  const d = new Date(ms + POLICY_TZ_OFFSET_MS);
  const day = d.getUTCDay();
  return { weekday: day === 0 ? 7 : day, hour: d.getUTCHours() };
}

export function firesAt(s: Schedule, ms: number): boolean {
  if (ms % HOUR_MS !== 0) return false;
  const { weekday, hour } = localWeekdayHour(ms);
  return s.timePoints.includes(hour) && s.repeatWeekdays.includes(weekday);
}

/** The first firing instant strictly after `after` (at most 8 days ahead). */
export function nextFireAfter(s: Schedule, after: number): number {
  let t = Math.floor(after / HOUR_MS) * HOUR_MS + HOUR_MS;
  for (let i = 0; i < 24 * 8; i++, t += HOUR_MS) if (firesAt(s, t)) return t;
  throw new Error('schedule never fires');
}

/** Every firing instant in (from, to], in order. */
export function firesBetween(s: Schedule, from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = nextFireAfter(s, from); t <= to; t = nextFireAfter(s, t)) out.push(t);
  return out;
}

/** `auto_yyyyMMdd_N` (000:L1342), dated in the policy's time zone. */
export function autoSnapshotName(ms: number, n: number): string {
  const d = new Date(ms + POLICY_TZ_OFFSET_MS);
  const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `auto_${ymd}_${n}`;
}

/** Renders a list back as the API shows it: `["0","1"]`. */
export function renderPoints(list: number[]): string {
  return JSON.stringify(list.map(String));
}
