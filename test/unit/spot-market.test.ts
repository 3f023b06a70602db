/** The spot market model (deterministic prices, history, advice) and the spot instance rules (launch options, interruption steps). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOUR_MS, hourStart, interruptRateDesc, marketPrice, MAX_SPOT_FRACTION, MIN_SPOT_FRACTION, nextPriceAbove, originPrice, priceHistory,
  spotAdvice, spotFraction, spotPrice, tableOriginPrice, type MarketKey,
} from '../../src/domain/spot-market.js';
import { spotOptionsOf, spotStep, SPOT_NOTICE_MS, type SpotRequest, type SpotState } from '../../src/domain/instances/spot.js';
import { EcsError } from '../../src/domain/errors.js';
import { answerMetadata, type InstanceMetadata } from '../../src/network/metadata.js';
import { PriceNotFound } from '../../src/domain/billing/pricing.js';
import { loadPriceTable } from '../../src/price-table-file.js';

const T0 = Date.parse('2026-11-23T06:00:00Z');
const G6: MarketKey = { regionId: 'cn-hangzhou', zoneId: 'cn-hangzhou-i', instanceType: 'ecs.g6.large' };
const G6_SPEC = { id: 'ecs.g6.large', family: 'ecs.g6', cpu: 2, memoryGiB: 8 };
const ORIGIN = 0.56;

describe('origin (pay-as-you-go) price', () => {
  const cases: [string, number, number, 'linux' | 'windows', number][] = [
    // [why, pay-as-you-go hourly, vCPUs, OS, origin]
    ['linux: the pay-as-you-go price, 3 decimals', 0.3921, 2, 'linux', 0.392],
    ['windows adds the licence per vCPU', 0.3921, 2, 'windows', 0.492],
    ['never below 0.001', 0, 1, 'linux', 0.001],
  ];
  for (const [why, payg, cpu, os, want] of cases) it(why, () => assert.equal(originPrice(payg, cpu, os), want));
  it('from the price table: the type\'s DescribePrice hourly price; a type it does not price throws PriceNotFound', () => {
    const table = loadPriceTable(undefined);
    const o = tableOriginPrice(table, 'cn-hangzhou', G6_SPEC);
    assert.ok(o > 0);
    assert.equal(marketPrice(table, G6, G6_SPEC, T0), spotPrice(G6, o, T0));
    assert.throws(() => tableOriginPrice(table, 'cn-hangzhou', { id: 'ecs.nope.large', family: 'ecs.nope', cpu: 2, memoryGiB: 8 }), PriceNotFound);
  });
});

describe('spot price', () => {
  it('is the same for every call at any time within the hour (deterministic)', () => {
    const p = spotPrice(G6, ORIGIN, T0);
    for (const at of [T0, T0 + 1, T0 + 59 * 60_000, T0 + HOUR_MS - 1]) assert.equal(spotPrice(G6, ORIGIN, at), p);
  });
  it('stays within 10-90 % of the origin price with 3 decimals, over a month of hours', () => {
    for (let h = 0; h < 24 * 30; h++) {
      const at = T0 + h * HOUR_MS;
      const f = spotFraction(G6, at);
      assert.ok(f >= MIN_SPOT_FRACTION && f <= MAX_SPOT_FRACTION, `fraction ${f}`);
      const p = spotPrice(G6, ORIGIN, at);
      assert.equal(Math.round(p * 1000) / 1000, p);
      assert.ok(p > 0 && p < ORIGIN);
    }
  });
  it('moves from hour to hour and differs between zones and types', () => {
    const week = Array.from({ length: 24 * 7 }, (_, h) => spotPrice(G6, ORIGIN, T0 + h * HOUR_MS));
    assert.ok(new Set(week).size > 20, 'the price changes over a week');
    const other = Array.from({ length: 24 * 7 }, (_, h) => spotPrice({ ...G6, zoneId: 'cn-hangzhou-j' }, ORIGIN, T0 + h * HOUR_MS));
    assert.notDeepEqual(week, other);
  });
  it('nextPriceAbove finds the first later hour whose price passes the limit', () => {
    const limit = spotPrice(G6, ORIGIN, T0);
    const at = nextPriceAbove(G6, ORIGIN, limit, T0)!;
    assert.ok(at > T0 && at === hourStart(at));
    assert.ok(spotPrice(G6, ORIGIN, at) > limit);
    for (let h = hourStart(T0) + HOUR_MS; h < at; h += HOUR_MS) assert.ok(spotPrice(G6, ORIGIN, h) <= limit);
    assert.equal(nextPriceAbove(G6, ORIGIN, ORIGIN, T0), null, 'never above the origin price');
  });
});

describe('price history', () => {
  it('one point per hour start in the window, oldest first', () => {
    const pts = priceHistory(G6, ORIGIN, T0 - 3 * HOUR_MS + 5, T0 + 10);
    assert.deepEqual(pts.map((p) => p.timestamp), [T0 - 3 * HOUR_MS, T0 - 2 * HOUR_MS, T0 - HOUR_MS, T0]);
    for (const p of pts) assert.equal(p.spotPrice, spotPrice(G6, ORIGIN, p.timestamp));
    assert.ok(pts.every((p) => p.originPrice === ORIGIN));
  });
});

describe('spot advice', () => {
  const cases: [number, string][] = [[0, '0-3%'], [2.99, '0-3%'], [3, '3-5%'], [7, '5-10%'], [10, '10-100%'], [55, '10-100%']];
  for (const [rate, want] of cases) it(`interruption rate ${rate} % is ${want}`, () => assert.equal(interruptRateDesc(rate), want));
  it('the average discount is the mean price as a % of the origin; the rate a percentage', () => {
    const a = spotAdvice(G6, T0);
    assert.ok(a.averageSpotDiscount >= 10 && a.averageSpotDiscount <= 90);
    assert.ok(a.interruptionRate >= 0 && a.interruptionRate <= 100);
    assert.equal(a.interruptRateDesc, interruptRateDesc(a.interruptionRate));
    assert.deepEqual(spotAdvice(G6, T0 + 1000), a, 'the same within the hour');
  });
});

describe('spot launch options', () => {
  const base: SpotRequest = { chargeType: 'PostPaid', deletionProtection: false, privatePoolTarget: false, mode: 'run' };
  const market = () => 0.1;
  const ok: [string, Partial<SpotRequest>, ReturnType<typeof spotOptionsOf>][] = [
    ['nothing given: NoSpot', {}, { strategy: 'NoSpot', priceLimit: 0, duration: 0, interruptionBehavior: 'Terminate' }],
    ['NoSpot with the documented default duration', { strategy: 'NoSpot', duration: 1 }, { strategy: 'NoSpot', priceLimit: 0, duration: 0, interruptionBehavior: 'Terminate' }],
    ['a limit at the market price', { strategy: 'SpotWithPriceLimit', priceLimit: 0.1 }, { strategy: 'SpotWithPriceLimit', priceLimit: 0.1, duration: 1, interruptionBehavior: 'Terminate' }],
    ['a limit above it, 0 hours, Stop', { strategy: 'SpotWithPriceLimit', priceLimit: 0.25, duration: 0, interruptionBehavior: 'Stop' }, { strategy: 'SpotWithPriceLimit', priceLimit: 0.25, duration: 0, interruptionBehavior: 'Stop' }],
    ['SpotAsPriceGo, 6 hours', { strategy: 'SpotAsPriceGo', duration: 6 }, { strategy: 'SpotAsPriceGo', priceLimit: 0, duration: 6, interruptionBehavior: 'Terminate' }],
  ];
  for (const [name, r, want] of ok) it(name, () => assert.deepEqual(spotOptionsOf({ ...base, ...r }, market), want));

  const refused: [string, Partial<SpotRequest>, string][] = [
    ['an unknown strategy', { strategy: 'Spot' }, 'InvalidSpotStrategy'],
    ['SpotWithPriceLimit without a limit', { strategy: 'SpotWithPriceLimit' }, 'InvalidSpotPriceLimit'],
    ['a limit with 4 decimals', { strategy: 'SpotWithPriceLimit', priceLimit: 0.1234 }, 'InvalidSpotPriceLimit'],
    ['a limit below the market', { strategy: 'SpotWithPriceLimit', priceLimit: 0.099 }, 'InvalidSpotPriceLimit.LowerThanPublicPrice'],
    ['a limit with SpotAsPriceGo', { strategy: 'SpotAsPriceGo', priceLimit: 0.2 }, 'InvalidSpotPriceLimit'],
    ['a limit with NoSpot', { priceLimit: 0.2 }, 'InvalidSpotPriceLimit'],
    ['7 hours', { strategy: 'SpotAsPriceGo', duration: 7 }, 'InvalidSpotDuration'],
    ['a duration with NoSpot', { duration: 3 }, 'InvalidSpotDuration'],
    ['an unknown behaviour', { strategy: 'SpotAsPriceGo', interruptionBehavior: 'Hibernate' }, 'InvalidSpotInterruptionBehavior'],
    ['Stop with NoSpot', { interruptionBehavior: 'Stop' }, 'InvalidSpotInterruptionBehavior'],
    ['Stop on CreateInstance', { strategy: 'SpotAsPriceGo', interruptionBehavior: 'Stop', mode: 'create' }, 'InvalidSpotInterruptionBehavior'],
    ['a subscription', { strategy: 'SpotAsPriceGo', chargeType: 'PrePaid' }, 'InvalidSpotPrepaid'],
    ['a private pool', { strategy: 'SpotAsPriceGo', privatePoolTarget: true }, 'SpotNotSupported'],
    ['deletion protection', { strategy: 'SpotAsPriceGo', deletionProtection: true }, 'InvalidChargeType.ValueNotSupported'],
  ];
  for (const [name, r, code] of refused) {
    it(`refuses ${name}: ${code}`, () => assert.throws(() => spotOptionsOf({ ...base, ...r }, market), (e: EcsError) => e.code === code));
  }
  it('asks the market only for a price-limited bid', () => {
    let asked = 0;
    spotOptionsOf({ ...base, strategy: 'SpotAsPriceGo' }, () => { asked++; return 1; });
    assert.equal(asked, 0);
  });
});

describe('interruption steps', () => {
  const s = (o: Partial<SpotState>): SpotState => ({ strategy: 'SpotWithPriceLimit', priceLimit: 0.1, duration: 1, createdAt: T0, terminationAt: null, ...o });
  const cases: [string, SpotState, number, number, ReturnType<typeof spotStep>][] = [
    // [why, state, market price, now, step]
    ['market at the limit: nothing', s({}), 0.1, T0 + 2 * HOUR_MS, { kind: 'none' }],
    ['market above the limit: a notice 5 minutes ahead', s({}), 0.101, T0 + 2 * HOUR_MS, { kind: 'notice', terminationAt: T0 + 2 * HOUR_MS + SPOT_NOTICE_MS }],
    ['above, within SpotDuration: protected', s({ duration: 3 }), 0.5, T0 + 2 * HOUR_MS, { kind: 'none' }],
    ['above, SpotDuration just over', s({ duration: 2 }), 0.5, T0 + 2 * HOUR_MS, { kind: 'notice', terminationAt: T0 + 2 * HOUR_MS + SPOT_NOTICE_MS }],
    ['SpotAsPriceGo: never by price', s({ strategy: 'SpotAsPriceGo', priceLimit: 0 }), 9, T0 + 9 * HOUR_MS, { kind: 'none' }],
    ['NoSpot: never', s({ strategy: 'NoSpot' }), 9, T0 + 9 * HOUR_MS, { kind: 'none' }],
    ['a notice before its time: waits', s({ terminationAt: T0 + 5 * HOUR_MS }), 0.5, T0 + 5 * HOUR_MS - 1, { kind: 'none' }],
    ['a notice at its time: reclaim', s({ terminationAt: T0 + 5 * HOUR_MS }), 0.01, T0 + 5 * HOUR_MS, { kind: 'reclaim' }],
    ['a drill notice of SpotAsPriceGo: reclaim', s({ strategy: 'SpotAsPriceGo', terminationAt: T0 }), 0, T0 + 1, { kind: 'reclaim' }],
  ];
  for (const [why, state, price, now, want] of cases) it(why, () => assert.deepEqual(spotStep(state, () => price, now), want));
});

describe('metadata service: instance/spot/termination-time', () => {
  const doc: InstanceMetadata = {
    instanceId: 'i-1', hostname: 'h', privateIp: '192.168.0.2', mac: '00:16:3e:00:00:01', regionId: 'cn-hangzhou', zoneId: 'cn-hangzhou-i', imageId: 'img',
    instanceType: 'ecs.g6.large', vpcId: 'vpc-1', vswitchId: 'vsw-1', vpcCidr: '192.168.0.0/16', vswitchCidr: '192.168.0.0/24', gateway: '192.168.0.1',
    netmask: '255.255.255.0', serialNumber: 's', ownerAccountId: '1', publicKeys: [], userData: '', eniId: 'eni-1',
  };
  const get = (m: InstanceMetadata, path: string) => { const a = answerMetadata(m, 'GET', path); return [a.status, String(a.body)]; };
  const cases: [string, InstanceMetadata, string, [number, string] | number][] = [
    ['no notice: 404', doc, '/latest/meta-data/instance/spot/termination-time', 404],
    ['no notice: no spot/ in the listing', doc, '/latest/meta-data/instance/', [200, 'instance-type\nvirtualization-solution\nvirtualization-solution-version']],
    ['a notice: the time', { ...doc, spotTerminationTime: '2026-11-23T06:05:00Z' }, '/latest/meta-data/instance/spot/termination-time', [200, '2026-11-23T06:05:00Z']],
    ['a notice: listed', { ...doc, spotTerminationTime: '2026-11-23T06:05:00Z' }, '/latest/meta-data/instance/spot/', [200, 'termination-time']],
    ['the 2016-01-01 version alike', { ...doc, spotTerminationTime: '2026-11-23T06:05:00Z' }, '/2016-01-01/meta-data/instance/spot/termination-time', [200, '2026-11-23T06:05:00Z']],
  ];
  for (const [why, m, path, want] of cases) {
    it(why, () => {
      const [status, body] = get(m, path);
      if (typeof want === 'number') assert.equal(status, want);
      else assert.deepEqual([status, body], want);
    });
  }
});
