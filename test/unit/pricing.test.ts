import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePriceTable, PriceTableError, type PriceTable } from '../../src/domain/billing/price-table.js';
import { discountFor, diskHourPrice, instanceHourPrice, PriceNotFound, quote, bandwidthHourPrice } from '../../src/domain/billing/pricing.js';
import { boughtPeriod, chargedMs, hourStart, splitByDay } from '../../src/domain/billing/metering.js';
import { addPeriod } from '../../src/domain/instances/subscription.js';
import { loadPriceTable, SHIPPED_PRICE_TABLE } from '../../src/price-table-file.js';

const shipped = JSON.parse(readFileSync(SHIPPED_PRICE_TABLE, 'utf8'));
const T: PriceTable = parsePriceTable(shipped);
const G7_LARGE = { id: 'ecs.g7.large', family: 'ecs.g7', cpu: 2, memoryGiB: 8 };
const H = 3_600_000;

describe('price table', () => {
  it('the shipped table parses', () => {
    assert.equal(loadPriceTable(undefined).currency, 'CNY');
    assert.equal(T.hoursPerUnit.Month, 720);
  });
  const bad: [string, (t: any) => void, RegExp][] = [
    ['currency not a code', (t) => { t.currency = 'yuan'; }, /"currency"/],
    ['negative family price', (t) => { t.instanceFamilies['ecs.g7'].vcpuHour = -1; }, /instanceFamilies\.ecs\.g7\.vcpuHour/],
    ['missing hours of a unit', (t) => { delete t.hoursPerUnit.Year; }, /hoursPerUnit\.Year/],
    ['discount of 100%', (t) => { t.subscriptionDiscounts[0].rate = 1; }, /subscriptionDiscounts\[0\]\.rate/],
    ['discount unit', (t) => { t.subscriptionDiscounts[0].unit = 'Day'; }, /subscriptionDiscounts\[0\]\.unit/],
    ['region factor a string', (t) => { t.regions['cn-hangzhou'] = '1'; }, /regions\.cn-hangzhou/],
    ['disk level factor', (t) => { t.diskCategories.cloud_essd.performanceLevels.PL2 = null; }, /performanceLevels\.PL2/],
  ];
  for (const [name, spoil, msg] of bad) {
    it(`refuses a table with ${name}`, () => {
      const t = structuredClone(shipped);
      spoil(t);
      assert.throws(() => parsePriceTable(t), (e: Error) => e instanceof PriceTableError && msg.test(e.message));
    });
  }
  it('a malformed operator file stops with the setting named', () => {
    assert.throws(() => loadPriceTable('/nonexistent/prices.json'), /OPENECS_PRICE_TABLE \(\/nonexistent\/prices\.json\) cannot be read/);
  });
});

describe('pricing', () => {
  const hourly: [string, () => number, number][] = [
    ['g7.large in Hangzhou: 2 vCPU and 8 GiB', () => instanceHourPrice(T, 'cn-hangzhou', G7_LARGE), 2 * 0.105 + 8 * 0.025],
    ['g7.large in Singapore: the region factor', () => instanceHourPrice(T, 'ap-southeast-1', G7_LARGE), (2 * 0.105 + 8 * 0.025) * 1.3],
    ['a type priced on its own', () => instanceHourPrice({ ...T, instanceTypes: { 'ecs.g7.large': 0.5 } }, 'cn-hangzhou', G7_LARGE), 0.5],
    ['40 GiB cloud_essd PL1', () => diskHourPrice(T, 'cn-hangzhou', { category: 'cloud_essd', size: 40, performanceLevel: 'PL1' }), 40 / 720],
    ['500 GiB cloud_essd PL2', () => diskHourPrice(T, 'cn-hangzhou', { category: 'cloud_essd', size: 500, performanceLevel: 'PL2' }), 500 * 2 / 720],
    ['100 GiB cloud_efficiency', () => diskHourPrice(T, 'cn-hangzhou', { category: 'cloud_efficiency', size: 100 }), 100 * 0.35 / 720],
    ['5 Mbps fixed bandwidth', () => bandwidthHourPrice(T, 'cn-hangzhou', 'PayByBandwidth', 5), 5 * 0.063],
    ['traffic: billed per GB, no hourly price', () => bandwidthHourPrice(T, 'cn-hangzhou', 'PayByTraffic', 5), 0],
  ];
  for (const [name, f, want] of hourly) it(name, () => assert.ok(Math.abs(f() - want) < 1e-12, `${f()} != ${want}`));

  const discounts: [string, 'Hour' | 'Week' | 'Month' | 'Year', number, number][] = [
    ['per hour: none', 'Hour', 1, 0], ['a week: none listed', 'Week', 1, 0], ['1 month', 'Month', 1, 0.15],
    ['5 months: the 1-month rate', 'Month', 5, 0.15], ['6 months', 'Month', 6, 0.2], ['12 months count as a year', 'Month', 12, 0.3],
    ['1 year', 'Year', 1, 0.3], ['2 years', 'Year', 2, 0.4], ['5 years: the 3-year rate', 'Year', 5, 0.5],
  ];
  for (const [name, unit, period, rate] of discounts) it(`discount: ${name}`, () => assert.equal(discountFor(T, unit, period)?.rate ?? 0, rate));

  it('a subscription quote: list price of the hours, the period discount per resource, the rule', () => {
    const q = quote(T, { regionId: 'cn-hangzhou', instanceType: G7_LARGE, systemDisk: { category: 'cloud_essd', size: 40, performanceLevel: 'PL1' } }, 'Year', 1);
    assert.equal(q.items[0]!.original, Math.round(0.41 * 8640 * 10_000) / 10_000);
    assert.equal(q.items[0]!.trade, Math.round(q.items[0]!.original * 0.7 * 10_000) / 10_000);
    assert.equal(q.items[1]!.original, 40 * 12);
    assert.equal(q.original, Math.round((q.items[0]!.original + q.items[1]!.original) * 10_000) / 10_000);
    assert.equal(q.discount, Math.round((q.original - q.trade) * 10_000) / 10_000);
    assert.equal(q.rule?.ruleId, 589);
  });
  it('Amount multiplies; pay-as-you-go has no rule', () => {
    const q = quote(T, { regionId: 'cn-hangzhou', instanceType: G7_LARGE }, 'Hour', 1, 3);
    assert.equal(q.trade, 1.23);
    assert.equal(q.rule, undefined);
  });
  const missing: [string, () => unknown][] = [
    ['a region not in the table', () => instanceHourPrice(T, 'mars-1', G7_LARGE)],
    ['a family not in the table', () => instanceHourPrice(T, 'cn-hangzhou', { ...G7_LARGE, family: 'ecs.x9' })],
    ['a disk category not in the table', () => diskHourPrice(T, 'cn-hangzhou', { category: 'ephemeral_ssd', size: 40 })],
  ];
  for (const [name, f] of missing) it(`PriceNotFound: ${name}`, () => assert.throws(f, PriceNotFound));
});

describe('metering', () => {
  const t0 = Date.parse('2026-11-23T06:00:00Z');
  const cases: [string, string, { at: number; to: string }[], number, number, string, number][] = [
    ['running the whole window', 'Running', [], t0, t0 + 3 * H, '', 3 * H],
    ['created, then running after boot', 'Pending', [{ at: t0 + 1000, to: 'Starting' }, { at: t0 + 2000, to: 'Running' }], t0, t0 + H, '', H - 2000],
    ['stopped in StopCharging mode: nothing after the stop', 'Running', [{ at: t0 + 2 * H, to: 'Stopping' }, { at: t0 + 2 * H + 1000, to: 'Stopped' }], t0, t0 + 5 * H, 'StopCharging', 2 * H],
    ['stopped in KeepCharging mode: charged on', 'Running', [{ at: t0 + 2 * H, to: 'Stopping' }, { at: t0 + 2 * H + 1000, to: 'Stopped' }], t0, t0 + 5 * H, 'KeepCharging', 5 * H],
    ['changes before the window set its first status', 'Pending', [{ at: t0 - 5000, to: 'Running' }, { at: t0 + H, to: 'Stopping' }, { at: t0 + H, to: 'Stopped' }], t0, t0 + 2 * H, 'StopCharging', H],
    ['changes after the window are not looked at', 'Running', [{ at: t0 + 9 * H, to: 'Stopping' }], t0, t0 + H, 'StopCharging', H],
  ];
  for (const [name, initial, changes, from, to, mode, want] of cases) {
    it(name, () => assert.equal(chargedMs(initial, changes, from, to, mode), want));
  }
  it('splits a window at UTC midnights', () => {
    const a = Date.parse('2026-11-23T22:00:00Z');
    assert.deepEqual(splitByDay(a, a + 28 * H), [[a, a + 2 * H], [a + 2 * H, a + 26 * H], [a + 26 * H, a + 28 * H]]);
  });
  it('the clock hour the meter bills up to', () => {
    const h = Date.parse('2026-11-23T06:00:00Z');
    for (const [at, want] of [[h, h], [h + 1, h], [h + H - 1, h], [h + H, h + H]]) assert.equal(hourStart(at), want);
  });
  const periods: [string, number, number, { unit: string; period: number }][] = [
    ['one month', t0, addPeriod(t0, 1, 'Month'), { unit: 'Month', period: 1 }],
    ['twelve months: a year', t0, addPeriod(t0, 12, 'Month'), { unit: 'Year', period: 1 }],
    ['two weeks', t0, addPeriod(t0, 2, 'Week'), { unit: 'Week', period: 2 }],
    ['a renewal from the day after: 3 months', t0 + 86_400_000, addPeriod(t0 + 86_400_000, 3, 'Month'), { unit: 'Month', period: 3 }],
  ];
  for (const [name, from, to, want] of periods) {
    it(`bought period: ${name}`, () => assert.deepEqual(boughtPeriod(from, to, (ms, n) => addPeriod(ms, n, 'Month')), want));
  }
});
