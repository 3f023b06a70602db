/**
 * Maintenance attributes of an instance (ModifyInstanceMaintenanceAttributes): one maintenance
 * window, the action taken when the host fails, and whether an event is sent first.
 *
 * The window rules are the metadata's (MaintenanceWindow.N.StartTime/EndTime): both ends given
 * together, whole hours only (no minutes or seconds), in UTC+8 as `HH:mm:ss`, the end 1 to 23
 * whole hours after the start (a window may cross midnight: 22:00:00 → 02:00:00 is 4 hours); N is
 * 1 only. Terraform's documentation writes the times with a trailing `Z` (`18:00:00Z`), so that
 * spelling is taken too and kept as given, and a refresh shows what the configuration holds.
 *
 * `AutoRedeploy` (migrate on failure, local data disks damaged) applies to instances with local
 * disks; the catalog's types have none, so they support Stop and AutoRecover (the default).
 */

export const ACTIONS_ON_MAINTENANCE = ['Stop', 'AutoRecover', 'AutoRedeploy'] as const;
export const DEFAULT_ACTION_ON_MAINTENANCE = 'AutoRecover';

export interface MaintenanceWindow { startTime: string; endTime: string }

export type WindowCheck =
  | { ok: true; window: MaintenanceWindow | undefined }
  | { ok: false; reason: 'incomplete' | 'malformed' | 'not-whole-hour' | 'length'; field?: string };

const TIME = /^(\d{2}):(\d{2}):(\d{2})Z?$/;

/** Hours of a `HH:mm:ss[Z]` time, or the reason it is refused. */
function hourOf(s: string): number | 'malformed' | 'not-whole-hour' {
  const m = TIME.exec(s);
  if (!m) return 'malformed';
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (h > 23 || min > 59 || sec > 59) return 'malformed';
  if (min !== 0 || sec !== 0) return 'not-whole-hour';
  return h;
}

/** One MaintenanceWindow.N item ({StartTime, EndTime}); an absent item keeps the current window. */
export function checkMaintenanceWindow(w: { StartTime?: string; EndTime?: string } | undefined): WindowCheck {
  if (!w || (w.StartTime === undefined && w.EndTime === undefined)) return { ok: true, window: undefined };
  if (!w.StartTime || !w.EndTime) return { ok: false, reason: 'incomplete', field: w.StartTime ? 'EndTime' : 'StartTime' };
  const start = hourOf(w.StartTime);
  if (typeof start !== 'number') return { ok: false, reason: start, field: 'StartTime' };
  const end = hourOf(w.EndTime);
  if (typeof end !== 'number') return { ok: false, reason: end, field: 'EndTime' };
  const length = (end - start + 24) % 24;
  if (length < 1 || length > 23) return { ok: false, reason: 'length' };
  return { ok: true, window: { startTime: w.StartTime, endTime: w.EndTime } };
}

/** The actions an instance supports: AutoRedeploy only with local disks. */
export function supportedActions(hasLocalDisks: boolean): string[] {
  return hasLocalDisks ? [...ACTIONS_ON_MAINTENANCE] : ['Stop', 'AutoRecover'];
}

export type ActionCheck = { ok: true } | { ok: false; reason: 'unknown' | 'unsupported' };

export function checkActionOnMaintenance(value: string, hasLocalDisks: boolean): ActionCheck {
  if (!(ACTIONS_ON_MAINTENANCE as readonly string[]).includes(value)) return { ok: false, reason: 'unknown' };
  if (!supportedActions(hasLocalDisks).includes(value)) return { ok: false, reason: 'unsupported' };
  return { ok: true };
}

export function windowMessage(c: Extract<WindowCheck, { ok: false }>): string {
  switch (c.reason) {
    case 'incomplete': return `The specified parameter "MaintenanceWindow.1.${c.field}" is missing: StartTime and EndTime must be set together.`;
    case 'malformed': return `The specified parameter "MaintenanceWindow.1.${c.field}" is not valid: expected HH:mm:ss (UTC+8).`;
    case 'not-whole-hour': return `The specified parameter "MaintenanceWindow.1.${c.field}" is not valid: the time must be a whole hour (minutes and seconds 00).`;
    case 'length': return 'The specified MaintenanceWindow is not valid: EndTime must be 1 to 23 whole hours after StartTime.';
  }
}
