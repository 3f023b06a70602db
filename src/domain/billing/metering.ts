/**
 * Metered usage from an instance's status history (the transitions the engine records). Compute
 * (and fixed bandwidth) is charged while the instance runs, and while it is stopping or stopped
 * in the default KeepCharging mode; an instance stopped in economical mode (StopCharging) and one
 * still being created or booting (Pending, Starting) is charged nothing. Disks are charged for
 * every hour they exist, whatever their instance does.
 */

export interface StatusChange { at: number; to: string }

const DAY_MS = 86_400_000;

/** Whether an instance in `status` is charged for compute, given how its last stop was asked. */
export function chargesCompute(status: string, stoppedMode: string): boolean {
  if (status === 'Running') return true;
  if (status === 'Stopping' || status === 'Stopped') return stoppedMode !== 'StopCharging';
  return false;
}

/**
 * Milliseconds of [from, to) charged for compute: `initial` is the status at `from`, `changes`
 * the later ones in order. `stoppedMode` is the mode of the stop the window holds (the meter
 * settles often enough that a window holds at most one).
 */
export function chargedMs(initial: string, changes: StatusChange[], from: number, to: number, stoppedMode: string): number {
  let status = initial;
  let at = from;
  let total = 0;
  for (const c of changes) {
    if (c.at <= from) { status = c.to; continue; }
    if (c.at >= to) break;
    if (chargesCompute(status, stoppedMode)) total += c.at - at;
    status = c.to;
    at = c.at;
  }
  if (chargesCompute(status, stoppedMode)) total += to - at;
  return total;
}

/** [from, to) cut at UTC midnights: usage is recorded per day (QueryInstanceBill's DAILY granularity). */
export function splitByDay(from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let a = from;
  while (a < to) {
    const b = Math.min(to, (Math.floor(a / DAY_MS) + 1) * DAY_MS);
    out.push([a, b]);
    a = b;
  }
  return out;
}

const HOUR_MS = 3_600_000;

/** The start of the clock hour holding `ms`: the meter bills every resource up to each of these, as ECS bills pay-as-you-go hourly. */
export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** yyyy-MM-dd of a UTC day. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The subscription period between two expiries, for pricing a purchase or renewal the meter sees:
 * whole years, else whole months, else whole weeks (at least one), counting calendar months.
 */
export function boughtPeriod(from: number, to: number, addMonths: (ms: number, n: number) => number): { unit: 'Week' | 'Month' | 'Year'; period: number } {
  let months = 0;
  while (addMonths(from, months + 1) <= to + 60_000) months++;
  if (months >= 12 && months % 12 === 0) return { unit: 'Year', period: months / 12 };
  if (months > 0) return { unit: 'Month', period: months };
  return { unit: 'Week', period: Math.max(1, Math.round((to - from) / (7 * DAY_MS))) };
}
