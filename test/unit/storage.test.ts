import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATA_DEVICES, diskStatusAllows, instanceStatusAllows, nextDataDevice, settledDiskStatus,
  autoSnapshotName, firesAt, firesBetween, localWeekdayHour, nextFireAfter, parseRepeatWeekdays, parseTimePoints,
  planMappings, mappingSize, expiryOf, isValidPolicyRetention, isValidSnapshotRetention, isValidDescription, isValidName, isValidSnapshotName,
  progressText, remainSeconds, snapshotDurationMs, usageOf, DAY_MS, planDataDisks,
  isValidBucketName, isValidObjectKey, isValidOssPrefix, detectFormat, virtualSizeBytes, bytesToGiB, parseImportFormat, parseExportFormat,
  hasUnsupportedSuffix, importDiskSize, importTraits, taskDurationMs, taskProgress, exportObjectKey,
} from '../../src/domain/storage/index.js';
import { EcsError } from '../../src/domain/errors.js';

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

describe('launch data disks: image mappings merged with DataDisk.N (002:L2319)', () => {
  const image = [{ device: '/dev/xvdb', size: 30, snapshotId: 's-img' }, { device: '/dev/xvdd', size: 5, snapshotId: '' }];
  const sizes: Record<string, number> = { 's-mine': 40 };
  const plan = (req: Record<string, unknown>[], img = image) => planDataDisks(req, img, (id) => sizes[id]!);
  const brief = (req: Record<string, unknown>[], img = image) => plan(req, img).map((d) => [d.Device, d.Size, d.SnapshotId, d.FromImage]);

  it('the image\'s disks keep their devices; requested ones take the free devices', () => {
    assert.deepEqual(brief([{ Size: 20 }, { Size: 50 }]), [
      ['/dev/xvdb', 30, 's-img', true], ['/dev/xvdc', 20, '', false], ['/dev/xvdd', 5, '', true], ['/dev/xvde', 50, '', false],
    ]);
  });
  it('DataDisk.N.Device naming an image device changes that disk (size at least the image\'s)', () => {
    assert.deepEqual(brief([{ Device: '/dev/xvdb', Size: 100, DiskName: 'big' }]).slice(0, 1), [['/dev/xvdb', 100, 's-img', false]]);
    assert.equal(plan([{ Device: '/dev/xvdb', Size: 100, DiskName: 'big' }])[0]!.DiskName, 'big');
    assert.equal(code(() => plan([{ Device: '/dev/xvdb', Size: 10 }])), 'InvalidDiskSize.TooSmall');
  });
  it('DataDisk.N.SnapshotId: size defaults to the snapshot\'s and cannot be smaller', () => {
    assert.deepEqual(brief([{ SnapshotId: 's-mine' }], []), [['/dev/xvdb', 40, 's-mine', false]]);
    assert.deepEqual(brief([{ SnapshotId: 's-mine', Size: 60 }], []), [['/dev/xvdb', 60, 's-mine', false]]);
    assert.equal(code(() => plan([{ SnapshotId: 's-mine', Size: 39 }], [])), 'InvalidDiskSize.TooSmall');
  });
  const refusals: [Record<string, unknown>[], string][] = [
    [[{ Device: '/dev/sdb', Size: 20 }], 'InvalidDataDevice.Malformed'],
    [[{ Device: '/dev/xvda', Size: 20 }], 'InvalidDataDevice.Malformed'],
    [[{ Device: '/dev/xvdc', Size: 20 }, { Device: '/dev/xvdc', Size: 20 }], 'InvalidDevice.InUse'],
    [Array.from({ length: 15 }, () => ({ Size: 20 })), 'InstanceDiskNumber.LimitExceed'],
  ];
  for (const [req, c] of refusals) it(`refuses ${JSON.stringify(req).slice(0, 60)}: ${c}`, () => assert.equal(code(() => plan(req)), c));
  it('no image disks and no DataDisk.N: none', () => assert.deepEqual(plan([], []), []));
});

describe('image files: names, formats, sizes, traits, tasks', () => {
  const names: [string, boolean][] = [['images', true], ['a1-b2', true], ['ab', false], ['Bad_Bucket', false], ['-abc', false], ['abc-', false], ['x'.repeat(63), true], ['x'.repeat(64), false]];
  for (const [b, ok] of names) it(`bucket ${b.slice(0, 20)}: ${ok}`, () => assert.equal(isValidBucketName(b), ok));
  const keys: [string, boolean][] = [['a.qcow2', true], ['dir/a.raw', true], ['../x', false], ['a/../b', false], ['/abs', false], ['dir/', false], ['a//b', false], ['a\\b', false], ['', false], ['a\u0000b', false],
    ['x'.repeat(255), true], ['x'.repeat(256), false], ['d/' + 'x'.repeat(256), false], ['界'.repeat(85), true], ['界'.repeat(86), false], [('x'.repeat(200) + '/').repeat(5) + 'x', true]];
  for (const [k, ok] of keys) it(`object key ${JSON.stringify(k)}: ${ok}`, () => assert.equal(isValidObjectKey(k), ok));
  const prefixes: [string, boolean][] = [['backup', true], ['B4ckup', true], ['bad_prefix', false], ['x'.repeat(30), true], ['x'.repeat(31), false]];
  for (const [p, ok] of prefixes) it(`OSSPrefix ${p.slice(0, 12)}: ${ok}`, () => assert.equal(isValidOssPrefix(p), ok));

  it('formats from the bytes: qcow2 magic, VHD footer, else raw; virtual sizes', () => {
    const q = Buffer.alloc(64); q.write('QFI\xfb', 0, 'latin1'); q.writeBigUInt64BE(3n * 1024n ** 3n, 24);
    assert.equal(detectFormat(q, Buffer.alloc(0)), 'QCOW2');
    assert.equal(virtualSizeBytes('QCOW2', q, Buffer.alloc(0), 64), 3 * 1024 ** 3);
    const f = Buffer.alloc(512); f.write('conectix', 0, 'latin1'); f.writeBigUInt64BE(30n * 1024n ** 3n, 48);
    assert.equal(detectFormat(Buffer.alloc(16), f), 'VHD');
    assert.equal(bytesToGiB(virtualSizeBytes('VHD', Buffer.alloc(16), f, 1024)), 30);
    assert.equal(detectFormat(Buffer.from('hello'), Buffer.from('hello')), 'RAW');
    assert.equal(virtualSizeBytes('RAW', Buffer.alloc(0), Buffer.alloc(0), 12345), 12345);
    assert.equal(bytesToGiB(1), 1);
  });
  it('Format / ImageFormat values', () => {
    assert.equal(parseImportFormat('qcow2'), 'QCOW2');
    assert.equal(parseImportFormat(undefined), undefined);
    assert.equal(code(() => parseImportFormat('vmdk')), 'InvalidImageFormat.Malformed');
    assert.equal(parseExportFormat(undefined), 'raw');
    assert.equal(parseExportFormat('VHD'), 'vhd');
    assert.equal(code(() => parseExportFormat('iso')), 'InvalidImageFormat.Malformed');
    assert.equal(hasUnsupportedSuffix('x.ISO'), true);
    assert.equal(hasUnsupportedSuffix('x.qcow2'), false);
  });
  const sizes: [Parameters<typeof importDiskSize>, number | string][] = [
    [['system', undefined, 3], 5], [['system', undefined, 30], 30], [['system', 20, 3], 20], [['system', 500, 3], 500],
    [['system', 501, 3], 'InvalidImageSize'], [['system', 4, 1], 'InvalidImageSize'], [['system', 10, 30], 'InvalidImageSize'],
    [['data', 2000, 3], 2000], [['data', 2001, 3], 'InvalidDataDiskSize'],
  ];
  for (const [args, want] of sizes) it(`import size ${JSON.stringify(args)} → ${want}`, () => assert.equal(typeof want === 'number' ? importDiskSize(...args) : code(() => importDiskSize(...args)), want));

  it('OS traits: defaults, platform ↔ OS type, arm64 boots UEFI', () => {
    assert.deepEqual(importTraits({}), { osType: 'linux', platform: 'Others Linux', architecture: 'x86_64', bootMode: 'BIOS' });
    assert.deepEqual(importTraits({ Platform: 'Windows Server 2019' }), { osType: 'windows', platform: 'Windows Server 2019', architecture: 'x86_64', bootMode: 'BIOS' });
    assert.equal(importTraits({ Architecture: 'arm64' }).bootMode, 'UEFI');
    const refusals: [Record<string, string>, string][] = [
      [{ Architecture: 'sparc' }, 'InvalidArchitecture.Malformed'], [{ OSType: 'beos' }, 'InvalidOSType.Malformed'],
      [{ Platform: 'Plan9' }, 'InvalidPlatform.Malformed'], [{ OSType: 'linux', Platform: 'Windows Server 2016' }, 'InvalidPlatform.Malformed'],
      [{ OSType: 'windows', Architecture: 'arm64' }, 'InvalidArchitecture.PlatformUnsupported'],
      [{ Architecture: 'arm64', BootMode: 'BIOS' }, 'InvalidBootMode.NotSupport'], [{ BootMode: 'Legacy' }, 'InvalidBootMode.Malformed'],
    ];
    for (const [p, c] of refusals) assert.equal(code(() => importTraits(p)), c, JSON.stringify(p));
  });
  it('task timing, progress and the exported object key', () => {
    assert.equal(taskDurationMs('ImportImage', 1000), 3000);
    assert.equal(taskDurationMs('ExportImage', 1000), 2000);
    assert.equal(taskProgress('Processing', 0, 3000, 1000), '33%');
    assert.equal(taskProgress('Processing', 0, 3000, 5000), '99%');
    assert.equal(taskProgress('Finished', 0, 3000, 0), '100%');
    assert.equal(taskProgress('Cancelled', 0, 3000, 1000), '0%');
    assert.equal(exportObjectKey('backup', 'm-1', 't-2', 'vhd'), 'backup_m-1_t-2.vhd');
    assert.equal(exportObjectKey('', 'm-1', 't-2', 'raw'), 'm-1_t-2.raw');
  });
});
