/**
 * Arrears of a pay-as-you-go account, as ReActivateInstances' metadata describes them: an account
 * whose balance is below zero is overdue; its pay-as-you-go instances are stopped (the `financial`
 * lock), come back only by ReActivateInstances once the bill is settled, and are released 15 days
 * after the overdue stop when not reactivated. No user guide text gives a delay before the stop,
 * so it is at once (the meter's hourly settlement).
 */
export const ARREARS_RELEASE_MS = 15 * 24 * 3_600_000;

/** The balance (credit + adjustment − billed), to the cent as QueryAccountBalance answers it. */
export function availableBalance(credit: number, adjustment: number, spent: number): number {
  // `|| 0`: a debt below half a cent is zero, not -0 ("-0.00" on the wire).
  return Math.round((credit + adjustment - spent) * 100) / 100 || 0;
}

export const isOverdueBalance = (balance: number): boolean => balance < 0;

/** The adjustment that makes the balance `target` today. */
export function adjustmentFor(target: number, credit: number, spent: number): number {
  return target - credit + spent;
}
