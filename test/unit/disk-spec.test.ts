/** ModifyDiskSpec's rules, ESSD level sizes, ESSD AutoPL IOPS and a policy's cross-region copy settings, as tables. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EcsError } from '../../src/domain/errors.js';
import { checkDiskSize, performanceLevelFor } from '../../src/domain/catalog/disk-categories.js';
import { autoPlBaselineIops, maxProvisionedIops, planDiskSpec, type DiskSpec, type DiskSpecRequest } from '../../src/domain/storage/disk-spec.js';
import { mergeCopySettings, NO_COPY, parseTargetCopyRegions } from '../../src/domain/storage/policy-copy.js';

function codeOf(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof EcsError) return e.code; throw e; }
  return 'ok';
}

const essd = (size: number, level = 'PL1', kind: 'data' | 'system' = 'data'): DiskSpec => ({ kind, category: 'cloud_essd', performanceLevel: level, provisionedIops: 0, size });
const other = (category: string, size: number, kind: 'data' | 'system' = 'data'): DiskSpec => ({ kind, category, performanceLevel: '', provisionedIops: 0, size });

describe('planDiskSpec', () => {
  const cases: [string, DiskSpec, DiskSpecRequest, string | [string, string, number]][] = [
    ['PL1 → PL0 at 20 GiB', essd(20), { performanceLevel: 'PL0' }, ['cloud_essd', 'PL0', 0]],
    ['PL1 → PL2 at 460 GiB: too small', essd(460), { performanceLevel: 'PL2' }, 'OperationDenied.PerformanceLevelNotMatch'],
    ['PL1 → PL2 at 461 GiB', essd(461), { performanceLevel: 'PL2' }, ['cloud_essd', 'PL2', 0]],
    ['PL1 → PL3 at 1260 GiB: too small', essd(1260), { performanceLevel: 'PL3' }, 'OperationDenied.PerformanceLevelNotMatch'],
    ['PL1 → PL3 at 1261 GiB', essd(1261), { performanceLevel: 'PL3' }, ['cloud_essd', 'PL3', 0]],
    ['PL3 → PL1 down (pay-as-you-go)', essd(2000, 'PL3'), { performanceLevel: 'PL1' }, ['cloud_essd', 'PL1', 0]],
    ['PL0 10 GiB → PL1: below 20', essd(10, 'PL0'), { performanceLevel: 'PL1' }, 'OperationDenied.PerformanceLevelNotMatch'],
    ['system PL3 needs 1261 but a system disk tops at 2048', essd(2048, 'PL1', 'system'), { performanceLevel: 'PL3' }, ['cloud_essd', 'PL3', 0]],
    ['same level: nothing to change', essd(100), { performanceLevel: 'PL1' }, 'NoChangeInDiskCategoryAndPerformanceLevel'],
    ['nothing asked', essd(100), {}, 'NoChangeInDiskCategoryAndPerformanceLevel'],
    ['unknown level', essd(100), { performanceLevel: 'PL4' }, 'InvalidPerformanceLevel.Malformed'],
    ['level for a non-ESSD target', essd(100), { category: 'cloud_ssd', performanceLevel: 'PL1' }, 'InvalidPerformanceLevelParam.Mismatch'],
    ['level on an SSD disk', other('cloud_ssd', 100), { performanceLevel: 'PL1' }, 'InvalidPerformanceLevelParam.Mismatch'],
    ['ultra → ESSD takes PL1', other('cloud_efficiency', 40), { category: 'cloud_essd' }, ['cloud_essd', 'PL1', 0]],
    ['ultra → ESSD PL2 too small', other('cloud_efficiency', 40), { category: 'cloud_essd', performanceLevel: 'PL2' }, 'OperationDenied.PerformanceLevelNotMatch'],
    ['SSD → ultra (pay-as-you-go may go down)', other('cloud_ssd', 40), { category: 'cloud_efficiency' }, ['cloud_efficiency', '', 0]],
    ['ESSD → AutoPL with IOPS', essd(100), { category: 'cloud_auto', provisionedIops: 1000 }, ['cloud_auto', '', 1000]],
    ['ESSD PL0 10 GiB → SSD: below 20', essd(10, 'PL0'), { category: 'cloud_ssd' }, 'InvalidDiskCategory.NotSupported'],
    ['Entry → ESSD', other('cloud_essd_entry', 40), { category: 'cloud_essd' }, ['cloud_essd', 'PL1', 0]],
    ['Entry → SSD: not allowed', other('cloud_essd_entry', 40), { category: 'cloud_ssd' }, 'InvalidDiskCategory.NotSupported'],
    ['basic disk: not changeable', other('cloud', 40), { category: 'cloud_essd' }, 'OperationDenied'],
    ['to basic: not a target', essd(40), { category: 'cloud' }, 'InvalidDiskCategory.ValueNotSupported'],
    ['IOPS on ESSD', essd(40), { provisionedIops: 10 }, 'ProvisionedIopsForDiskCategoryUnsupported'],
    ['AutoPL IOPS change only', other('cloud_auto', 100), { provisionedIops: 5000 }, ['cloud_auto', '', 5000]],
    ['AutoPL IOPS above the limit', other('cloud_auto', 100), { provisionedIops: maxProvisionedIops(100) + 1 }, 'InvalidProvisionedIops.LimitExceed'],
    ['AutoPL → ESSD drops the IOPS', { ...other('cloud_auto', 100), provisionedIops: 5000 }, { category: 'cloud_essd' }, ['cloud_essd', 'PL1', 0]],
  ];
  for (const [name, disk, req, want] of cases) {
    it(name, () => {
      if (typeof want === 'string') assert.equal(codeOf(() => planDiskSpec(disk, req)), want);
      else {
        const c = planDiskSpec(disk, req);
        assert.deepEqual([c.category, c.performanceLevel, c.provisionedIops], want);
        assert.equal(c.categoryChanged, c.category !== disk.category);
      }
    });
  }
});

describe('ESSD AutoPL IOPS: baseline min{1800 + 50×size, 50000}, provisioned 0…min{50000, 1000×size − baseline}', () => {
  const table: [number, number, number][] = [
    [1, 1850, 0],
    [40, 3800, 36200],
    [100, 6800, 50000],
    [1000, 50000, 50000],
  ];
  for (const [size, baseline, max] of table) {
    it(`${size} GiB`, () => {
      assert.equal(autoPlBaselineIops(size), baseline);
      assert.equal(maxProvisionedIops(size), max);
    });
  }
});

describe('ESSD levels at creation (checkDiskSize, performanceLevelFor)', () => {
  const table: [string, string, number, string | undefined, string][] = [
    ['data', 'cloud_essd', 1, 'PL0', 'ok'],
    ['data', 'cloud_essd', 19, 'PL1', 'OperationDenied.PerformanceLevelNotMatch'],
    ['data', 'cloud_essd', 460, 'PL2', 'OperationDenied.PerformanceLevelNotMatch'],
    ['data', 'cloud_essd', 461, 'PL2', 'ok'],
    ['data', 'cloud_essd', 1261, 'PL3', 'ok'],
    ['data', 'cloud_essd', 32769, 'PL1', 'InvalidDataDiskSize.ValueNotSupported'],
    ['system', 'cloud_essd', 100, 'PL2', 'OperationDenied.PerformanceLevelNotMatch'],
    ['system', 'cloud_essd', 2049, 'PL1', 'InvalidSystemDiskSize.MoreThanMaxSize'],
    ['data', 'cloud_ssd', 19, undefined, 'InvalidDataDiskSize.ValueNotSupported'],
  ];
  for (const [kind, category, size, level, want] of table) {
    it(`${kind} ${category} ${level ?? ''} ${size} GiB → ${want}`, () => {
      assert.equal(codeOf(() => checkDiskSize(kind as 'data' | 'system', category, size, level)), want);
    });
  }
  const levels: [string, unknown, string][] = [
    ['cloud_essd', undefined, 'PL1'],
    ['cloud_essd', 'PL3', 'PL3'],
    ['cloud_ssd', undefined, ''],
    ['cloud_ssd', 'PL1', 'InvalidPerformanceLevel.Malformed'],
  ];
  for (const [category, given, want] of levels) {
    it(`performanceLevelFor(${category}, ${String(given)}) → ${want}`, () => {
      let got: string;
      try { got = performanceLevelFor(category, given); } catch (e) { got = (e as EcsError).code; }
      assert.equal(got, want);
    });
  }
});

describe('automatic snapshot policy: cross-region copy settings', () => {
  const known = (r: string) => ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'].includes(r);
  const targets: [string, string[] | string][] = [
    ['["cn-shanghai"]', ['cn-shanghai']],
    ['[]', []],
    ['["cn-shanghai","cn-beijing"]', 'InvalidParameter.TargetCopyRegions'],
    ['["cn-hangzhou"]', 'InvalidParameter.TargetCopyRegions'],
    ['["mars-1"]', 'InvalidParameter.TargetCopyRegions'],
    ['cn-shanghai', 'InvalidParameter.TargetCopyRegions'],
  ];
  for (const [raw, want] of targets) {
    it(`TargetCopyRegions ${raw}`, () => {
      let got: string[] | string;
      try { got = parseTargetCopyRegions(raw, 'cn-hangzhou', known); } catch (e) { got = (e as EcsError).code; }
      assert.deepEqual(got, want);
    });
  }
  const merges: [string, Parameters<typeof mergeCopySettings>[1], string][] = [
    ['enabled with a target', { enabled: true, targets: ['cn-shanghai'] }, 'ok'],
    ['enabled without a target', { enabled: true }, 'InvalidParameter.TargetCopyRegions'],
    ['retention 0', { retentionDays: 0 }, 'InvalidParameter.CopiedSnapshotsRetentionDays'],
    ['retention 65536', { retentionDays: 65536 }, 'InvalidParameter.CopiedSnapshotsRetentionDays'],
    ['retention -1', { retentionDays: -1 }, 'ok'],
  ];
  for (const [name, change, want] of merges) {
    it(name, () => assert.equal(codeOf(() => mergeCopySettings(NO_COPY, change)), want));
  }
});
