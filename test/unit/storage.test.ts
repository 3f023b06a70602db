import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATA_DEVICES, diskStatusAllows, instanceStatusAllows, nextDataDevice, settledDiskStatus,
  autoSnapshotName, firesAt, firesBetween, localWeekdayHour, nextFireAfter, parseRepeatWeekdays, parseTimePoints,
  planMappings, mappingSize, expiryOf, isValidPolicyRetention, isValidSnapshotRetention, isValidDescription, isValidName, isValidSnapshotName,
  progressText, remainSeconds, snapshotDurationMs, usageOf, DAY_MS,
} from '../../src/domain/storage/index.js';
import { EcsError } from '../../src/api/errors.js';

const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as EcsError).code; } return 'ok'; };

describe('disk state machine', () => {
  const cases: [Parameters<typeof diskStatusAllows>[0], string, boolean][] = [
    ['Attach', 'Available', true], ['Attach', 'In_use', false], ['Attach', 'Creating', false],
    ['Detach', 'In_use', true], ['Detach', 'Available', false],
    ['Delete', 'Available', true], ['Delete', 'In_use', false],
    ['ReInit', 'In_use', true], ['ReInit', 'Available', false],
    ['Reset', 'In_use', true], ['Reset', 'Available', true], ['Reset', 'Attaching', false],
    ['Resize', 'Available', true], ['Resize', 'Detaching', false],
  ];
  for (const [action, status, ok] of cases) it(`${action} on ${status}: ${ok}`, () => assert.equal(diskStatusAllows(action, status), ok));

  it('instance status per disk role (SPEC: system disk only when Stopped)', () => {
    assert.equal(instanceStatusAllows('Attach', 'data', 'Running'), true);
    assert.equal(instanceStatusAllows('Attach', 'data', 'Stopped'), true);
    assert.equal(instanceStatusAllows('Attach', 'data', 'Starting'), false);
    assert.equal(instanceStatusAllows('Attach', 'system', 'Running'), false);
    assert.equal(instanceStatusAllows('Detach', 'system', 'Stopped'), true);
    assert.equal(instanceStatusAllows('ReInit', 'data', 'Running'), false);
    assert.equal(instanceStatusAllows('Reset', 'system', 'Stopped'), true);
    assert.equal(instanceStatusAllows('Snapshot', 'data', 'Stopping'), false);
  });

  it('settles transitional statuses', () => {
    assert.deepEqual(['Creating', 'Attaching', 'Detaching', 'ReIniting', 'In_use'].map(settledDiskStatus), ['Available', 'In_use', 'Available', 'In_use', undefined]);
  });

  it('names devices /dev/xvdb–/dev/xvdz, first free first', () => {
    assert.equal(DATA_DEVICES.length, 25);
    assert.equal(DATA_DEVICES[0], '/dev/xvdb');
    assert.equal(DATA_DEVICES[24], '/dev/xvdz');
    assert.equal(nextDataDevice(['/dev/xvda']), '/dev/xvdb');
    assert.equal(nextDataDevice(['/dev/xvda', '/dev/xvdb', '/dev/xvdd']), '/dev/xvdc');
    assert.equal(nextDataDevice(DATA_DEVICES), undefined);
  });
});

describe('automatic snapshot schedule (UTC+8)', () => {
  const s = { timePoints: [0, 12], repeatWeekdays: [1, 3] }; // Monday and Wednesday, 00:00 and 12:00 Beijing time
  // 2026-11-22 is a Sunday; 16:00Z on Sunday is Monday 00:00 in UTC+8.
  const monMidnight = Date.parse('2026-11-22T16:00:00Z');

  it('reads weekday and hour in UTC+8', () => {
    assert.deepEqual(localWeekdayHour(monMidnight), { weekday: 1, hour: 0 });
    assert.deepEqual(localWeekdayHour(Date.parse('2026-11-23T06:00:00Z')), { weekday: 1, hour: 14 });
  });

  it('fires only on the hour at the points of the weekdays', () => {
    assert.equal(firesAt(s, monMidnight), true);
    assert.equal(firesAt(s, monMidnight + 12 * 3600_000), true);
    assert.equal(firesAt(s, monMidnight + 3600_000), false);
    assert.equal(firesAt(s, monMidnight + 1000), false);
    assert.equal(firesAt(s, monMidnight + DAY_MS), false, 'Tuesday');
  });

  it('finds the next firing instant and all firings in a week', () => {
    assert.equal(nextFireAfter(s, monMidnight - 1), monMidnight);
    assert.equal(nextFireAfter(s, monMidnight), monMidnight + 12 * 3600_000);
    assert.equal(nextFireAfter(s, monMidnight + 12 * 3600_000), monMidnight + 2 * DAY_MS);
    const week = firesBetween(s, monMidnight - 1, monMidnight + 7 * DAY_MS - 1);
    assert.equal(week.length, 4);
    const every = firesBetween({ timePoints: [...Array(24).keys()], repeatWeekdays: [1, 2, 3, 4, 5, 6, 7] }, 0, 7 * DAY_MS);
    assert.equal(every.length, 7 * 24);
  });

  it('parses the JSON array parameters and refuses bad ones', () => {
    assert.deepEqual(parseTimePoints('["1","0","23","1"]'), [0, 1, 23]);
    assert.deepEqual(parseRepeatWeekdays('["7","1"]'), [1, 7]);
    for (const bad of ['["24"]', '["-1"]', '[]', 'x', '["a"]', '{"a":1}']) assert.equal(code(() => parseTimePoints(bad)), 'InvalidParameter', bad);
    for (const bad of ['["0"]', '["8"]', '[]']) assert.equal(code(() => parseRepeatWeekdays(bad)), 'InvalidParameter', bad);
  });

  it('names automatic snapshots auto_yyyyMMdd_N in UTC+8 (000:L1342)', () => {
    assert.equal(autoSnapshotName(monMidnight, 1), 'auto_20261123_1');
    assert.equal(autoSnapshotName(Date.parse('2014-04-18T04:00:00Z'), 2), 'auto_20140418_2');
  });
});

describe('snapshot progress, retention and usage', () => {
  it('first snapshot is full (twice as long), later ones incremental', () => {
    assert.equal(snapshotDurationMs(1000, true), 2000);
    assert.equal(snapshotDurationMs(1000, false), 1000);
  });
  it('progress follows the clock and caps at 99% until accomplished', () => {
    assert.equal(progressText('progressing', 0, 1000, 0), '0%');
    assert.equal(progressText('progressing', 0, 1000, 500), '50%');
    assert.equal(progressText('progressing', 0, 1000, 5000), '99%');
    assert.equal(progressText('accomplished', 0, 1000, 10), '100%');
    assert.equal(remainSeconds('progressing', 2500, 1000), 2);
  });
  it('retention days', () => {
    assert.equal(isValidSnapshotRetention(1), true);
    assert.equal(isValidSnapshotRetention(65536), true);
    assert.equal(isValidSnapshotRetention(0), false);
    assert.equal(isValidPolicyRetention(-1), true);
    assert.equal(isValidPolicyRetention(65535), true);
    assert.equal(isValidPolicyRetention(65536), false);
    assert.equal(isValidPolicyRetention(0), false);
    assert.equal(expiryOf(1000, 2), 1000 + 2 * DAY_MS);
    assert.equal(expiryOf(1000, -1), null);
    assert.equal(expiryOf(1000, 0), null);
  });
  it('usage', () => {
    assert.deepEqual([usageOf(true, true), usageOf(true, false), usageOf(false, true), usageOf(false, false)], ['image_disk', 'image', 'disk', 'none']);
  });
});

describe('names', () => {
  const names: [string, boolean][] = [['ab', true], ['a', false], ['1abc', false], ['数据盘-1', true], ['disk:a_b.c-d', true], ['http://x', false], ['a'.repeat(128), true], ['a'.repeat(129), false], ['has space', false]];
  for (const [n, ok] of names) it(`name ${n.slice(0, 20)}: ${ok}`, () => assert.equal(isValidName(n), ok));
  it('snapshot names must not start with auto', () => {
    assert.equal(isValidSnapshotName('auto_20140418_1'), false);
    assert.equal(isValidSnapshotName('backup-1'), true);
  });
  it('descriptions 2–256, no URL prefix', () => {
    assert.equal(isValidDescription('ok'), true);
    assert.equal(isValidDescription('x'), false);
    assert.equal(isValidDescription('https://evil'), false);
    assert.equal(isValidDescription('y'.repeat(257)), false);
  });
});

describe('image disk device mappings', () => {
  it('orders devices and allocates blank ones in order', () => {
    const plan = planMappings([{ SnapshotId: 's-sys', DiskType: 'system' }, { Size: 10 }, { SnapshotId: 's-d', Device: '/dev/xvdb' }]);
    assert.deepEqual(plan.map((m) => [m.device, m.type, m.snapshotId, m.size]), [
      ['/dev/xvda', 'system', 's-sys', undefined], ['/dev/xvdb', 'data', 's-d', undefined], ['/dev/xvdc', 'data', '', 10],
    ]);
  });
  it('an empty data disk defaults to 5 GiB, at most 2000 (000:L1510)', () => {
    assert.equal(planMappings([{ SnapshotId: 's', DiskType: 'system' }, {}])[1]!.size, 5);
    assert.equal(code(() => planMappings([{ SnapshotId: 's', DiskType: 'system' }, { Size: 2001 }])), 'InvalidSize.ValueNotSupported');
  });
  it('refuses two system disks, bad and duplicate devices', () => {
    assert.equal(code(() => planMappings([{ SnapshotId: 'a', DiskType: 'system' }, { SnapshotId: 'b', DiskType: 'system' }])), 'InvalidDevice.InUse');
    assert.equal(code(() => planMappings([{ Device: '/dev/sdb' }])), 'InvalidDevice.Malformed');
    assert.equal(code(() => planMappings([{ Device: '/dev/xvdc' }, { Device: '/dev/xvdc' }])), 'InvalidDevice.InUse');
    assert.equal(code(() => planMappings([{ DiskType: 'swap' }])), 'InvalidDiskType.ValueNotSupported');
    assert.equal(code(() => planMappings(Array.from({ length: 17 }, () => ({})))), 'InvalidParameter');
  });
  it('a snapshot-backed size grows, never shrinks', () => {
    assert.equal(mappingSize(undefined, 40), 40);
    assert.equal(mappingSize(50, 40), 50);
    assert.equal(code(() => mappingSize(30, 40)), 'InvalidSize.ValueNotSupported');
  });
});
