/**
 * The table of parameters each action acts on (src/actions/acted-params.ts) and the refusal of
 * everything else (src/api/acted.ts): every implemented handler has an entry, every entry names
 * what the spec declares, every parameter a handler reads is listed (found in the source by
 * test/helpers/handler-reads.ts), and the documented defaults come from the generated spec.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allHandlers } from '../../src/actions/index.js';
import { ACTED_PARAMS } from '../../src/actions/acted-params.js';
import { refuseUnacted } from '../../src/api/acted.js';
import { EcsError } from '../../src/domain/errors.js';
import { COMMON_PARAMS } from '../../src/api/params.js';
import { actionSpec, type Product } from '../../src/api/spec.js';
import type { ActionSpec } from '../../src/api/spec-types.js';
import { handlerReads } from '../helpers/handler-reads.js';

const handlers = allHandlers();
const implemented = Object.entries(handlers).flatMap(([product, map]) => Object.keys(map).map((action) => [product as Product, action] as const));

describe('acted-params table', () => {
  it('has an entry for every implemented handler of every product', () => {
    const missing = implemented.filter(([product, action]) => !ACTED_PARAMS[product]?.[action]).map(([p, a]) => `${p}:${a}`);
    assert.deepEqual(missing, [], `add these actions to src/actions/acted-params.ts with the parameters their handlers read: ${missing.join(', ')}`);
  });

  it('has no entry for an action that is not implemented', () => {
    const stale = Object.entries(ACTED_PARAMS).flatMap(([product, map]) =>
      Object.keys(map).filter((a) => !handlers[product as Product][a]).map((a) => `${product}:${a}`));
    assert.deepEqual(stale, []);
  });

  it('names only parameters (or fields of object and list parameters) the spec declares', () => {
    const wrong: string[] = [];
    for (const [product, map] of Object.entries(ACTED_PARAMS)) {
      for (const [action, names] of Object.entries(map)) {
        const spec = actionSpec(product as Product, action);
        if (!spec) continue;
        for (const n of names) {
          if (spec.p.some((p) => p.n === n)) continue;
          const dot = n.indexOf('.');
          const top = spec.p.find((p) => p.n === n.slice(0, dot));
          const props = top?.t === 'object' ? top.props : top?.items?.props;
          if (dot < 0 || !props || !Object.hasOwn(props, n.slice(dot + 1))) wrong.push(`${product}:${action}:${n}`);
        }
        if (new Set(names).size !== names.length) wrong.push(`${product}:${action}: duplicate names`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('lists every parameter a handler reads (a parameter we read must never be refused)', async () => {
    const reads = handlerReads();
    const modules = new Map<string, Record<string, unknown>>();
    const missing: string[] = [];
    let matched = 0;
    for (const r of reads) {
      if (!modules.has(r.file)) modules.set(r.file, await import(r.file));
      const handler = (modules.get(r.file)![r.variable] as Record<string, unknown> | undefined)?.[r.action];
      for (const [product, action] of implemented) {
        if (action !== r.action || handlers[product][action] !== handler) continue;
        matched++;
        const spec = actionSpec(product, action)!;
        const listed = new Set(ACTED_PARAMS[product]?.[action] ?? []);
        const readable = new Set([...listed, ...[...listed].map((n) => n.split('.')[0]!)]);
        for (const n of r.names) {
          if (!spec.p.some((p) => p.n === n) || readable.has(n) || COMMON_PARAMS.has(n)) continue;
          if (['RegionId', 'regionId', 'ClientToken', 'DryRun'].includes(n)) continue;
          missing.push(`${product}:${action}:${n}`);
        }
      }
    }
    assert.ok(matched >= implemented.length * 0.9, `the source scan found only ${matched} of ${implemented.length} handlers`);
    assert.deepEqual(missing, [], 'handlers read these parameters but src/actions/acted-params.ts does not list them');
  });
});

describe('documented defaults in the generated spec', () => {
  const param = (action: string, name: string) => actionSpec('ecs', action)!.p.find((p) => p.n === name)!;
  const field = (action: string, name: string, f: string) => {
    const p = param(action, name);
    return (p.t === 'object' ? p.props : p.items?.props)![f]!;
  };
  for (const [action, name, def] of [
    ['RunInstances', 'SpotStrategy', 'NoSpot'],
    ['RunInstances', 'InternetChargeType', 'PayByTraffic'],
    ['RunInstances', 'InstanceChargeType', 'PostPaid'],
    ['RunInstances', 'InternetMaxBandwidthOut', '0'],
    ['RunInstances', 'Amount', '1'],
    ['RunInstances', 'PeriodUnit', 'Month'],
    ['RunInstances', 'SpotInterruptionBehavior', 'Terminate'],
    ['RunInstances', 'DeletionProtection', 'false'],
    ['RunInstances', 'HttpTokens', 'optional'],
    ['DeleteInstance', 'Force', 'false'],
    // Conditional or computed defaults are no default.
    ['RunInstances', 'IoOptimized', undefined],
    ['RunInstances', 'SystemDisk.Size', undefined],
    ['RunInstances', 'SystemDisk.Category', undefined],
    ['RunInstances', 'InternetMaxBandwidthIn', undefined],
    ['RunInstances', 'ZoneId', undefined],
    ['RunInstances', 'CpuOptions.TopologyType', undefined],
  ] as const) {
    it(`${action} ${name}: ${def ?? 'none'}`, () => assert.equal(param(action, name).def, def));
  }
  it('fields of list parameters carry theirs (RunInstances DataDisk.N.Encrypted false, DeleteWithInstance true)', () => {
    assert.equal(field('RunInstances', 'DataDisk', 'Encrypted').def, 'false');
    assert.equal(field('RunInstances', 'DataDisk', 'DeleteWithInstance').def, 'true');
    assert.equal(field('RunInstances', 'DataDisk', 'KMSKeyId').def, undefined);
  });
});

describe('refuseUnacted', () => {
  // RunInstances' real spec against its real entry.
  const spec = actionSpec('ecs', 'RunInstances') as ActionSpec;
  const refused = (params: Record<string, unknown>): string | undefined => {
    try {
      refuseUnacted('ecs', 'RunInstances', spec, params);
      return undefined;
    } catch (e) {
      assert.ok(e instanceof EcsError);
      assert.equal(e.code, 'UnsupportedParameter');
      assert.equal(e.status, 400);
      return e.message;
    }
  };
  const base = { RegionId: 'cn-hangzhou', ImageId: 'img', InstanceType: 'ecs.g6.large', ClientToken: 't', DryRun: false };
  for (const [what, params, named] of [
    ['parameters the handler reads', { InstanceName: 'a', Tag: [{ Key: 'k', Value: 'v' }], 'SystemDisk.Category': 'cloud_essd' }, undefined],
    ['the documented default', { SpotStrategy: 'NoSpot', InternetChargeType: 'PayByTraffic', SpotDuration: 1, AutoPay: true }, undefined],
    ['empty values (unset fields of some SDKs)', { LaunchTemplateId: '', RamRoleName: '', NetworkInterface: [] }, undefined],
    ['a value other than the default', { Tenancy: 'host' }, 'Tenancy'],
    ['LaunchTemplateId', { LaunchTemplateId: 'lt-1' }, 'LaunchTemplateId'],
    ['DeploymentSetId', { DeploymentSetId: 'ds-1' }, 'DeploymentSetId'],
    ['HpcClusterId', { HpcClusterId: 'hpc-1' }, 'HpcClusterId'],
    ['a data disk field the handler reads, and a default one', { DataDisk: [{ Size: 20, Encrypted: false, DeleteWithInstance: true }] }, undefined],
    ['a data disk field it does not', { DataDisk: [{ Size: 20 }, { Size: 30, KMSKeyId: 'key' }] }, 'DataDisk.2.KMSKeyId'],
    ['a field of a flat object parameter', { SystemDisk: { Encrypted: true } }, 'SystemDisk.Encrypted'],
    ['the same field at its default', { SystemDisk: { Encrypted: false } }, undefined],
  ] as const) {
    it(`${what}: ${named ? `refuses "${named}"` : 'accepted'}`, () => {
      const message = refused({ ...base, ...params });
      if (!named) assert.equal(message, undefined);
      else assert.match(message ?? '', new RegExp(`^OpenECS does not act on the parameter "${named.replace(/\./g, '\\.')}" of RunInstances; leave it out`));
    });
  }
  it('names the accepted default in the message', () => {
    assert.equal(refused({ ...base, Tenancy: 'host' }),
      'OpenECS does not act on the parameter "Tenancy" of RunInstances; leave it out or give its default value "default".');
  });
});
