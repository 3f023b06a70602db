/** The arrears rules (src/domain/billing/arrears.ts): the balance, when it is overdue, the adjustment SetAccountBalance stores. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ARREARS_RELEASE_MS, adjustmentFor, availableBalance, isOverdueBalance } from '../../src/domain/billing/arrears.js';

describe('arrears rules', () => {
  it('the balance is credit + adjustment − billed, to the cent', () => {
    const cases: [credit: number, adjustment: number, spent: number, balance: number][] = [
      [10000, 0, 0, 10000],
      [10000, 0, 1.234, 9998.77],
      [10000, -9999.5, 0.75, -0.25],
      [0, 5, 5.004, 0],
    ];
    for (const [credit, adjustment, spent, balance] of cases) assert.equal(availableBalance(credit, adjustment, spent), balance, `${credit} ${adjustment} ${spent}`);
  });

  it('overdue only below zero', () => {
    const cases: [number, boolean][] = [[-0.01, true], [-100, true], [0, false], [0.01, false]];
    for (const [balance, overdue] of cases) assert.equal(isOverdueBalance(balance), overdue, String(balance));
  });

  it('the adjustment for a target balance gives that balance back', () => {
    for (const [target, credit, spent] of [[100, 10000, 12.5], [-1, 10000, 0], [0, 0, 3]] as const) {
      assert.equal(availableBalance(credit, adjustmentFor(target, credit, spent), spent), target);
    }
  });

  it('released 15 days after the overdue stop (ReActivateInstances\' metadata)', () => {
    assert.equal(ARREARS_RELEASE_MS, 15 * 86_400_000);
  });
});
