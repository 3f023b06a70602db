/**
 * AutoReleaseTime (RunInstances, ModifyInstanceAutoReleaseTime): ISO 8601 UTC
 * `yyyy-MM-ddTHH:mm:ssZ`; seconds other than 00 count from the start of that minute; at least
 * 30 minutes and at most 3 years ahead.
 */
import { EcsError } from '../errors.js';
import { parseUtc } from '../time.js';

const MIN_AHEAD_MS = 30 * 60_000;
const MAX_AHEAD_MS = 3 * 366 * 24 * 3600_000;

export function checkReleaseTime(value: string, now: number): number {
  const at = parseUtc(value);
  if (at === undefined) {
    throw new EcsError('InvalidAutoReleaseTime.Malformed', `The specified parameter AutoReleaseTime "${value}" is not valid: use yyyy-MM-ddTHH:mm:ssZ (UTC).`);
  }
  const minute = at - (at % 60_000);
  if (minute < now + MIN_AHEAD_MS) {
    throw new EcsError('InvalidAutoReleaseTime.Malformed', 'The specified parameter AutoReleaseTime is not valid: it must be at least 30 minutes from now.');
  }
  if (minute > now + MAX_AHEAD_MS) {
    throw new EcsError('InvalidAutoReleaseTime.Malformed', 'The specified parameter AutoReleaseTime is not valid: it must be at most 3 years from now.');
  }
  return minute;
}
