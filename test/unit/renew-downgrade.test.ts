import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renewDowngradeChange } from '../../src/domain/instances/prepay-spec.js';
import { billedInstance } from '../../src/domain/billing/specs.js';

const G = 1024;

describe('renewal for configuration downgrade', () => {
  it('takes a downgrade only (fewer vCPUs or less memory)', () => {
    const cases: [number, number, number, number, string][] = [
      // from cpu, memory GiB → to cpu, memory GiB: ok or the code
      [4, 16, 2, 8, 'ok'],
      [4, 16, 4, 8, 'ok'],
      [4, 16, 2, 16, 'ok'],
      [4, 16, 8, 8, 'ok'], // less memory is a downgrade whatever the vCPUs
      [4, 16, 4, 16, 'DependencyViolation.InstanceType'],
      [4, 16, 8, 32, 'DependencyViolation.InstanceType'],
      [4, 16, 4, 32, 'DependencyViolation.InstanceType'],
    ];
    for (const [fc, fm, tc, tm, want] of cases) {
      const r = renewDowngradeChange({ cpu: fc, memory: fm * G }, { cpu: tc, memory: tm * G });
      assert.equal(r.ok ? 'ok' : r.code, want, `${fc}/${fm} → ${tc}/${tm}`);
    }
  });

  it('bills a period from the planned start on at the planned type', () => {
    const row = {
      region_id: 'cn-hangzhou', instance_type: 'ecs.g7.xlarge', cpu: 4, memory: 16 * G, internet_charge_type: 'PayByTraffic',
      internet_max_bandwidth_out: 0, renew_downgrade_type: 'ecs.g7.large', renew_downgrade_at: 1000,
    };
    const cases: [number, number | null, string, number, number][] = [
      // period start, plan start → billed type, vCPUs, memory MiB
      [999, 1000, 'ecs.g7.xlarge', 4, 16 * G],
      [1000, 1000, 'ecs.g7.large', 2, 8 * G],
      [5000, 1000, 'ecs.g7.large', 2, 8 * G],
      [5000, null, 'ecs.g7.xlarge', 4, 16 * G],
    ];
    for (const [start, at, type, cpu, memory] of cases) {
      const b = billedInstance({ ...row, renew_downgrade_at: at }, start);
      assert.deepEqual([b.instance_type, b.cpu, b.memory], [type, cpu, memory], `start ${start}, plan ${at}`);
    }
    assert.equal(billedInstance({ ...row, renew_downgrade_type: 'ecs.nosuch.large' }, 5000).instance_type, 'ecs.g7.xlarge', 'an unknown type bills as it is');
  });
});
