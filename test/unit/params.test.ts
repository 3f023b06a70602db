/**
 * decodeParams (src/api/params.ts) against real action specs from the generated metadata:
 * the wire forms of api-protocol.md §1.7 (`X.N`, `X.N.F`, `X.F`, JSON strings), coercion,
 * validation, and which error code each failure answers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeParams, type Params } from '../../src/api/params.js';
import { EcsError } from '../../src/domain/errors.js';
import { actionSpec, type Product } from '../../src/api/spec.js';
import type { ActionSpec } from '../../src/api/spec-types.js';

function spec(action: string, product: Product = 'ecs'): ActionSpec {
  const s = actionSpec(product, action);
  assert.ok(s, `${product}.${action} is in the generated spec`);
  return s;
}

function decode(action: string, raw: Record<string, string>, product: Product = 'ecs'): Params {
  return decodeParams(spec(action, product), raw);
}

function failure(action: string, raw: Record<string, string>, product: Product = 'ecs'): EcsError {
  try {
    decode(action, raw, product);
  } catch (e) {
    assert.ok(e instanceof EcsError, `expected an EcsError, got ${e}`);
    return e;
  }
  assert.fail(`${action} ${JSON.stringify(raw)} decoded without error`);
}

const R = { RegionId: 'cn-hangzhou' };

interface OkCase { name: string; action: string; product?: Product; raw: Record<string, string>; want: Params }
interface ErrCase { name: string; action: string; product?: Product; raw: Record<string, string>; code: string; mentions?: string }

function okCases(title: string, cases: OkCase[]) {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const got = decode(c.action, c.raw, c.product);
        for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got[k], v, `${k} in ${JSON.stringify(got)}`);
      });
    }
  });
}

function errCases(title: string, cases: ErrCase[]) {
  describe(title, () => {
    for (const c of cases) {
      it(`${c.name} → ${c.code}`, () => {
        const e = failure(c.action, c.raw, c.product);
        assert.equal(e.code, c.code, e.message);
        if (c.mentions) assert.ok(e.message.includes(`"${c.mentions}"`), e.message);
        // Whatever the code, the answer is a 4xx: from the action's table, else the fallback.
        const status = spec(c.action, c.product).e[e.code]?.[0] ?? 400;
        assert.ok(status >= 400 && status < 500, `${e.code} → ${status}`);
      });
    }
  });
}

okCases('X.N lists (repeatList of scalars)', [
  { name: 'ordered 1-based indices', action: 'RunInstances', raw: { ...R, 'SecurityGroupIds.1': 'sg-1', 'SecurityGroupIds.2': 'sg-2' }, want: { SecurityGroupIds: ['sg-1', 'sg-2'] } },
  {
    name: 'ordered by numeric index, not by key order or string order',
    action: 'RunInstances',
    raw: { ...R, 'SecurityGroupIds.10': 'sg-10', 'SecurityGroupIds.2': 'sg-2', 'SecurityGroupIds.1': 'sg-1' },
    want: { SecurityGroupIds: ['sg-1', 'sg-2', 'sg-10'] },
  },
  { name: 'sparse indices compact into a list', action: 'RunInstances', raw: { ...R, 'SecurityGroupIds.1': 'a', 'SecurityGroupIds.3': 'c' }, want: { SecurityGroupIds: ['a', 'c'] } },
  { name: 'InstanceId.N of the batch power actions', action: 'StartInstances', raw: { ...R, 'InstanceId.1': 'i-1', 'InstanceId.2': 'i-2' }, want: { InstanceId: ['i-1', 'i-2'] } },
  {
    name: 'exactly maxItems is fine',
    action: 'StartInstances',
    raw: { ...R, ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`InstanceId.${i + 1}`, `i-${i}`])) },
    want: { InstanceId: Array.from({ length: 100 }, (_, i) => `i-${i}`) },
  },
  { name: 'a JSON array string is accepted in place of X.N', action: 'RunInstances', raw: { ...R, SecurityGroupIds: '["sg-1","sg-2"]' }, want: { SecurityGroupIds: ['sg-1', 'sg-2'] } },
  { name: 'integer items are coerced', action: 'DeleteLaunchTemplateVersion', raw: { ...R, 'DeleteVersion.1': '3', 'DeleteVersion.2': '5' }, want: { DeleteVersion: [3, 5] } },
  { name: 'enum items are checked and kept', action: 'DescribeInstanceTypes', raw: { 'CpuArchitectures.1': 'X86', 'CpuArchitectures.2': 'ARM' }, want: { CpuArchitectures: ['X86', 'ARM'] } },
  { name: 'absent list is absent', action: 'RunInstances', raw: { ...R }, want: { SecurityGroupIds: undefined, Tag: undefined } },
]);

okCases('X.N.F lists of objects', [
  {
    name: 'Tag.N.Key / Tag.N.Value, a Value may be missing',
    action: 'RunInstances',
    raw: { ...R, 'Tag.1.Key': 'env', 'Tag.1.Value': 'dev', 'Tag.2.Key': 'team' },
    want: { Tag: [{ Key: 'env', Value: 'dev' }, { Key: 'team' }] },
  },
  {
    name: 'sparse Tag indices keep their order',
    action: 'RunInstances',
    raw: { ...R, 'Tag.3.Key': 'c', 'Tag.1.Key': 'a' },
    want: { Tag: [{ Key: 'a' }, { Key: 'c' }] },
  },
  {
    name: 'DataDisk.N fields are typed (Size integer, DeleteWithInstance boolean)',
    action: 'RunInstances',
    raw: { ...R, 'DataDisk.1.Size': '100', 'DataDisk.1.Category': 'cloud_essd', 'DataDisk.1.DeleteWithInstance': 'false', 'DataDisk.2.SnapshotId': 's-1' },
    want: { DataDisk: [{ Size: 100, Category: 'cloud_essd', DeleteWithInstance: false }, { SnapshotId: 's-1' }] },
  },
  {
    name: 'NetworkInterface.N.SecurityGroupIds.M nests a list inside a list of objects',
    action: 'RunInstances',
    raw: {
      ...R,
      'NetworkInterface.1.SecurityGroupIds.2': 'sg-b', 'NetworkInterface.1.SecurityGroupIds.1': 'sg-a',
      'NetworkInterface.1.VSwitchId': 'vsw-1', 'NetworkInterface.2.QueueNumber': '4',
    },
    want: { NetworkInterface: [{ VSwitchId: 'vsw-1', SecurityGroupIds: ['sg-a', 'sg-b'] }, { QueueNumber: 4 }] },
  },
  {
    name: 'undeclared fields of an item are ignored',
    action: 'RunInstances',
    raw: { ...R, 'Tag.1.Key': 'k', 'Tag.1.Colour': 'red' },
    want: { Tag: [{ Key: 'k' }] },
  },
  {
    name: 'legacy lower-case Tag.N.key / value (DescribeInstances) fold into Key / Value',
    action: 'DescribeInstances',
    raw: { ...R, 'Tag.1.key': 'a', 'Tag.1.value': 'b' },
    want: { Tag: [{ Key: 'a', Value: 'b' }] },
  },
  {
    name: 'the canonical Key wins over a legacy key',
    action: 'DescribeInstances',
    raw: { ...R, 'Tag.1.Key': 'upper', 'Tag.1.key': 'lower' },
    want: { Tag: [{ Key: 'upper' }] },
  },
  {
    name: 'flat array Permissions.N.* (AuthorizeSecurityGroup)',
    action: 'AuthorizeSecurityGroup',
    raw: { ...R, SecurityGroupId: 'sg-1', 'Permissions.1.IpProtocol': 'TCP', 'Permissions.1.PortRange': '22/22', 'Permissions.1.SourceCidrIp': '0.0.0.0/0', 'Permissions.2.IpProtocol': 'ICMP' },
    want: { Permissions: [{ IpProtocol: 'TCP', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0' }, { IpProtocol: 'ICMP' }] },
  },
  {
    name: 'Filter.N.Value.M: a scalar list inside objects',
    action: 'DescribeHaVips',
    raw: { ...R, 'Filter.1.Key': 'VpcId', 'Filter.1.Value.1': 'vpc-1', 'Filter.1.Value.2': 'vpc-2' },
    want: { Filter: [{ Key: 'VpcId', Value: ['vpc-1', 'vpc-2'] }] },
  },
]);

okCases('X.F flat names', [
  {
    name: 'dotted scalar params (SystemDisk.Category, SystemDisk.Size) stay as keys, with no phantom SystemDisk object',
    action: 'RunInstances',
    raw: { ...R, 'SystemDisk.Category': 'cloud_essd', 'SystemDisk.Size': '40' },
    want: { 'SystemDisk.Category': 'cloud_essd', 'SystemDisk.Size': '40', SystemDisk: undefined },
  },
  {
    name: 'a flat object (SystemDisk.BurstingEnabled) next to the dotted scalars',
    action: 'RunInstances',
    raw: { ...R, 'SystemDisk.Category': 'cloud_auto', 'SystemDisk.BurstingEnabled': 'true', 'SystemDisk.ProvisionedIops': '5000' },
    want: { 'SystemDisk.Category': 'cloud_auto', SystemDisk: { BurstingEnabled: true, ProvisionedIops: 5000 } },
  },
  { name: 'dotted integer and boolean scalars are coerced', action: 'RunInstances', raw: { ...R, 'CpuOptions.Core': '2', 'HibernationOptions.Configured': 'false' }, want: { 'CpuOptions.Core': 2, 'HibernationOptions.Configured': false } },
  { name: 'flat object with typed fields', action: 'CreateNetworkInterface', raw: { ...R, VSwitchId: 'vsw-1', 'NetworkInterfaceTrafficConfig.QueueNumber': '2' }, want: { NetworkInterfaceTrafficConfig: { QueueNumber: 2 } } },
  { name: 'flat object enum field', action: 'ModifyDiskSpec', raw: { DiskId: 'd-1', 'PerformanceControlOptions.Recover': 'All' }, want: { PerformanceControlOptions: { Recover: 'All' } } },
]);

okCases('JSON strings and other styles', [
  { name: 'DescribeInstances InstanceIds stays a string (handlers parse it)', action: 'DescribeInstances', raw: { ...R, InstanceIds: '["i-1","i-2"]' }, want: { InstanceIds: '["i-1","i-2"]' } },
  { name: 'json-style object params arrive parsed', action: 'InvokeCommand', raw: { ...R, CommandId: 'c-1', Parameters: '{"name":"x","n":1}' }, want: { Parameters: { name: 'x', n: 1 } } },
  { name: 'simple style: comma-separated list', action: 'GrantInstanceToVbr', product: 'vpc', raw: { ...R, VbrOwnerUid: '1', InstanceId: 'vpc-1', GrantType: 'All', VbrRegionNo: 'cn-hangzhou', VbrInstanceIds: 'vbr-1, vbr-2' }, want: { VbrInstanceIds: ['vbr-1', 'vbr-2'] } },
]);

okCases('scalar coercion', [
  { name: 'integers', action: 'DescribeInstances', raw: { ...R, PageNumber: '2', PageSize: '100' }, want: { PageNumber: 2, PageSize: 100 } },
  { name: 'integer with sign and surrounding spaces', action: 'DescribeInstances', raw: { ...R, PageNumber: ' +3 ' }, want: { PageNumber: 3 } },
  { name: 'int32 upper bound', action: 'RunInstances', raw: { ...R, InternetMaxBandwidthOut: '2147483647' }, want: { InternetMaxBandwidthOut: 2147483647 } },
  { name: 'int64 up to 2^53-1', action: 'RunInstances', raw: { ...R, LaunchTemplateVersion: '9007199254740991' }, want: { LaunchTemplateVersion: 9007199254740991 } },
  { name: 'numbers', action: 'RunInstances', raw: { ...R, SpotPriceLimit: '0.5' }, want: { SpotPriceLimit: 0.5 } },
  { name: 'number without leading digit', action: 'RunInstances', raw: { ...R, SpotPriceLimit: '.25' }, want: { SpotPriceLimit: 0.25 } },
  { name: 'booleans, case-insensitive', action: 'RunInstances', raw: { ...R, DryRun: 'TRUE', UniqueSuffix: 'false', DeletionProtection: 'True' }, want: { DryRun: true, UniqueSuffix: false, DeletionProtection: true } },
  { name: 'empty non-string values count as absent', action: 'RunInstances', raw: { ...R, Amount: '', DryRun: '' }, want: { Amount: undefined, DryRun: undefined } },
  { name: 'empty optional strings are kept (ModifyInstanceAttribute may clear a field)', action: 'RunInstances', raw: { ...R, Description: '' }, want: { Description: '' } },
  { name: 'string enums accept listed values', action: 'DescribeInstanceTypes', raw: { CpuArchitecture: 'ARM', InstanceFamilyLevel: 'EnterpriseLevel' }, want: { CpuArchitecture: 'ARM', InstanceFamilyLevel: 'EnterpriseLevel' } },
  { name: 'min and max are inclusive', action: 'RunInstances', raw: { ...R, Amount: '1000', MinAmount: '1' }, want: { Amount: 1000, MinAmount: 1 } },
  { name: 'strings are passed verbatim, unicode and reserved characters included', action: 'RunInstances', raw: { ...R, InstanceName: "web 中文 !'()*+/=&" }, want: { InstanceName: "web 中文 !'()*+/=&" } },
]);

describe('only declared parameters come out', () => {
  it('common and unknown parameters are dropped', () => {
    const got = decode('DescribeRegions', {
      Action: 'DescribeRegions', Version: '2014-05-26', Format: 'JSON', Signature: 'x', AccessKeyId: 'ak', SignatureNonce: 'n',
      Timestamp: '2026-11-23T06:00:00Z', OwnerId: '1', Junk: 'y', AcceptLanguage: 'en-US',
    });
    assert.deepEqual(got, { AcceptLanguage: 'en-US' });
  });
});

errCases('missing required parameters', [
  { name: 'RegionId absent', action: 'RunInstances', raw: {}, code: 'MissingParameter', mentions: 'RegionId' },
  { name: 'RegionId empty', action: 'RunInstances', raw: { RegionId: '' }, code: 'MissingParameter', mentions: 'RegionId' },
  { name: 'a required X.N list absent', action: 'DeleteInstances', raw: { ...R }, code: 'MissingParameter', mentions: 'InstanceId' },
  { name: 'a required X.N list with only another param', action: 'StopInstances', raw: { ...R, ForceStop: 'true' }, code: 'MissingParameter', mentions: 'InstanceId' },
  { name: "the action's own MissingParameter.RegionId", action: 'CreateCapacityReservation', raw: { InstanceAmount: '1', 'ZoneId.1': 'z' }, code: 'MissingParameter.RegionId' },
  { name: "the action's own MissingParameter.InstanceAmount", action: 'CreateCapacityReservation', raw: { ...R, 'ZoneId.1': 'z' }, code: 'MissingParameter.InstanceAmount' },
  { name: 'a required field of a list item', action: 'CreatePrefixList', raw: { ...R, AddressFamily: 'IPv4', MaxEntries: '5', PrefixListName: 'p', 'Entry.1.Description': 'no cidr' }, code: 'MissingParameter', mentions: 'Entry.1.Cidr' },
  { name: 'a required integer', action: 'CreatePrefixList', raw: { ...R, AddressFamily: 'IPv4', PrefixListName: 'p' }, code: 'MissingParameter', mentions: 'MaxEntries' },
]);

errCases('malformed lists', [
  { name: 'index 0', action: 'RunInstances', raw: { ...R, 'SecurityGroupIds.0': 'sg' }, code: 'InvalidParameter', mentions: 'SecurityGroupIds.0' },
  { name: 'zero-padded index', action: 'RunInstances', raw: { ...R, 'Tag.01.Key': 'k' }, code: 'InvalidParameter', mentions: 'Tag.01' },
  { name: 'non-numeric index', action: 'RunInstances', raw: { ...R, 'SecurityGroupIds.a': 'sg' }, code: 'InvalidParameter', mentions: 'SecurityGroupIds.a' },
  { name: 'a scalar where a list is expected', action: 'RunInstances', raw: { ...R, SecurityGroupIds: 'sg-1' }, code: 'InvalidParameter', mentions: 'SecurityGroupIds' },
  { name: 'a JSON object where a list is expected', action: 'RunInstances', raw: { ...R, SecurityGroupIds: '{"a":1}' }, code: 'InvalidParameter' },
  { name: 'a scalar where an object item is expected', action: 'RunInstances', raw: { ...R, 'Tag.1': 'k' }, code: 'InvalidParameter', mentions: 'Tag.1' },
  {
    name: 'more than maxItems (16 security groups)',
    action: 'RunInstances',
    raw: { ...R, ...Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`SecurityGroupIds.${i + 1}`, `sg-${i}`])) },
    code: 'InvalidParameter', mentions: 'SecurityGroupIds',
  },
  {
    name: 'more than 100 instance ids: the action-specific count code',
    action: 'StartInstances',
    raw: { ...R, ...Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`InstanceId.${i + 1}`, `i-${i}`])) },
    code: 'InvalidParameter.TooManyInstanceIds',
  },
  {
    name: 'more than 20 tags on DescribeInstances: InvalidTagCount',
    action: 'DescribeInstances',
    raw: { ...R, ...Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`Tag.${i + 1}.Key`, `k${i}`])) },
    code: 'InvalidTagCount',
  },
  {
    name: 'a JSON list longer than maxItems',
    action: 'StartInstances',
    raw: { ...R, InstanceId: JSON.stringify(Array.from({ length: 101 }, (_, i) => `i-${i}`)) },
    code: 'InvalidParameter.TooManyInstanceIds',
  },
  { name: 'a bad integer item', action: 'DeleteLaunchTemplateVersion', raw: { ...R, 'DeleteVersion.1': 'x' }, code: 'InvalidParameter', mentions: 'DeleteVersion.1' },
  { name: 'a bad enum item', action: 'DescribeInstanceTypes', raw: { 'CpuArchitectures.1': 'MIPS' }, code: 'InvalidParameter', mentions: 'CpuArchitectures.1' },
]);

errCases('bad scalar values', [
  { name: 'not an integer', action: 'DescribeInstances', raw: { ...R, PageSize: 'ten' }, code: 'InvalidParameter', mentions: 'PageSize' },
  { name: 'a fraction for an integer', action: 'DescribeInstances', raw: { ...R, PageNumber: '1.5' }, code: 'InvalidParameter', mentions: 'PageNumber' },
  { name: 'exponent notation for an integer', action: 'DescribeInstances', raw: { ...R, PageNumber: '1e2' }, code: 'InvalidParameter' },
  { name: 'above max', action: 'DescribeInstances', raw: { ...R, PageSize: '101' }, code: 'InvalidParameter', mentions: 'PageSize' },
  { name: 'below min', action: 'DescribeInstances', raw: { ...R, PageNumber: '0' }, code: 'InvalidParameter', mentions: 'PageNumber' },
  { name: 'int32 overflow', action: 'RunInstances', raw: { ...R, InternetMaxBandwidthOut: '2147483648' }, code: 'InvalidInternetMaxBandwidthOut.Malformed' },
  { name: 'int64 beyond 2^53', action: 'RunInstances', raw: { ...R, LaunchTemplateVersion: '9007199254740993' }, code: 'InvalidParameter', mentions: 'LaunchTemplateVersion' },
  { name: 'not a number', action: 'RunInstances', raw: { ...R, SpotPriceLimit: 'cheap' }, code: 'InvalidSpotPriceLimit' },
  { name: 'NaN is not a number', action: 'RunInstances', raw: { ...R, SpotPriceLimit: 'NaN' }, code: 'InvalidSpotPriceLimit' },
  { name: 'not a boolean', action: 'RunInstances', raw: { ...R, DryRun: 'yes' }, code: 'InvalidParameter', mentions: 'DryRun' },
  { name: '1 is not a boolean', action: 'RunInstances', raw: { ...R, DeletionProtection: '1' }, code: 'InvalidParameter', mentions: 'DeletionProtection' },
  { name: 'not in the enum (case matters)', action: 'DescribeInstanceTypes', raw: { CpuArchitecture: 'x86' }, code: 'InvalidParameter', mentions: 'CpuArchitecture' },
  { name: 'not in a flat object field enum', action: 'ModifyDiskSpec', raw: { DiskId: 'd-1', 'PerformanceControlOptions.Recover': 'Some' }, code: 'InvalidParameter', mentions: 'PerformanceControlOptions.Recover' },
  { name: 'longer than maxLen', action: 'DescribeInstanceTypes', raw: { NextToken: 'x'.repeat(51) }, code: 'InvalidParameter', mentions: 'NextToken' },
  { name: 'a bad field inside a list item', action: 'RunInstances', raw: { ...R, 'DataDisk.1.Size': 'big' }, code: 'InvalidParameter', mentions: 'DataDisk.1.Size' },
  { name: 'a nested field below its min', action: 'RunInstances', raw: { ...R, 'NetworkInterface.1.QueueNumber': '0' }, code: 'InvalidParameter.NetworkInterface', mentions: 'NetworkInterface.1.QueueNumber' },
  { name: 'bad JSON in a json-style param', action: 'InvokeCommand', raw: { ...R, CommandId: 'c', Parameters: '{oops' }, code: 'InvalidParameter.Parameters' },
]);

errCases("the action's own codes for its parameters", [
  { name: 'Invalid<Name>.Malformed (RunInstances InternetMaxBandwidthOut)', action: 'RunInstances', raw: { ...R, InternetMaxBandwidthOut: 'x' }, code: 'InvalidInternetMaxBandwidthOut.Malformed' },
  { name: 'Invalid<Name>.Malformed below min (CreateInstance InternetMaxBandwidthIn)', action: 'CreateInstance', raw: { ...R, InstanceType: 't', InternetMaxBandwidthIn: '0' }, code: 'InvalidInternetMaxBandwidthIn.Malformed' },
  { name: 'InvalidParameter.<Name> (AttachDisk DeleteWithInstance)', action: 'AttachDisk', raw: { InstanceId: 'i', DiskId: 'd', DeleteWithInstance: 'maybe' }, code: 'InvalidParameter.DeleteWithInstance' },
  { name: 'InvalidParam.<Name> (RunInstances Amount above max)', action: 'RunInstances', raw: { ...R, Amount: '1001' }, code: 'InvalidParam.Amount' },
  { name: 'InvalidParameter.<Name> (DescribeCommands MaxResults)', action: 'DescribeCommands', raw: { ...R, MaxResults: 'lots' }, code: 'InvalidParameter.MaxResults' },
]);

describe('the code for an item field follows the field name', () => {
  // A synthetic spec: no real action constrains Tag.N.Key's type, but the naming rule matters for those that do.
  const synthetic: ActionSpec = {
    p: [{ n: 'Tag', t: 'array', s: 'repeatList', maxItems: 2, items: { t: 'object', props: { Key: { t: 'string', maxLen: 3 }, Value: { t: 'string' } } } }],
    e: { 'InvalidTagKey.Malformed': [400, 'bad key'], InvalidTagCount: [400, 'too many'] },
    r: {},
  };
  it('Tag.N.Key too long → InvalidTagKey.Malformed', () => {
    assert.throws(() => decodeParams(synthetic, { 'Tag.1.Key': 'long' }), (e: any) => e.code === 'InvalidTagKey.Malformed' && e.message.includes('"Tag.1.Key"'));
  });
  it('too many tags → InvalidTagCount', () => {
    assert.throws(() => decodeParams(synthetic, { 'Tag.1.Key': 'a', 'Tag.2.Key': 'b', 'Tag.3.Key': 'c' }), (e: any) => e.code === 'InvalidTagCount');
  });
  it('valid input decodes', () => {
    assert.deepEqual(decodeParams(synthetic, { 'Tag.1.Key': 'abc', 'Tag.1.Value': 'v' }), { Tag: [{ Key: 'abc', Value: 'v' }] });
  });
});

describe('lower-camel parameter names, as the metadata spells them (terraform-calls.md trap 10)', () => {
  const cases: [string, Record<string, string>, Params][] = [
    ['CreateAutoSnapshotPolicy', { regionId: 'cn-hangzhou', timePoints: '["0","1"]', repeatWeekdays: '["1"]', retentionDays: '-1', autoSnapshotPolicyName: 'p' },
      { regionId: 'cn-hangzhou', timePoints: '["0","1"]', repeatWeekdays: '["1"]', retentionDays: -1, autoSnapshotPolicyName: 'p' }],
    ['ModifyAutoSnapshotPolicyEx', { regionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1', retentionDays: '7' },
      { regionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1', retentionDays: 7 }],
    ['DeleteAutoSnapshotPolicy', { regionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1' }, { regionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1' }],
    ['ApplyAutoSnapshotPolicy', { regionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1', diskIds: '["d-1"]' },
      { regionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1', diskIds: '["d-1"]' }],
  ];
  for (const [action, raw, want] of cases) {
    it(action, () => assert.deepEqual(decode(action, raw), want));
  }
  it('another letter case of a declared name is that name (the gateway matches names case-insensitively)', () => {
    assert.deepEqual(decode('DeleteAutoSnapshotPolicy', { RegionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1' }), { regionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1' });
  });
});

describe('parameter names match whatever their letter case', () => {
  const cases: Array<[string, string, Record<string, string>, Params]> = [
    // Terraform sends RegionId to an action whose metadata spells it regionId.
    ['capitalised to lower-camel', 'ApplyAutoSnapshotPolicy', { RegionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1', diskIds: '["d-1"]' },
      { regionId: 'cn-hangzhou', autoSnapshotPolicyId: 'sp-1', diskIds: '["d-1"]' }],
    // pop-core capitalises every name by default.
    ['pop-core capitalisation', 'CreateAutoSnapshotPolicy', { RegionId: 'cn-hangzhou', TimePoints: '["1"]', RepeatWeekdays: '["2"]', RetentionDays: '3' },
      { regionId: 'cn-hangzhou', timePoints: '["1"]', repeatWeekdays: '["2"]', retentionDays: 3 }],
    ['list items keep their index and field', 'DescribeDisks', { regionid: 'cn-hangzhou', 'tag.1.Key': 'k' },
      { RegionId: 'cn-hangzhou', Tag: [{ Key: 'k' }] }],
    ['the declared spelling wins when both are sent', 'DescribeDisks', { RegionId: 'cn-hangzhou', regionid: 'cn-beijing' }, { RegionId: 'cn-hangzhou' }],
  ];
  for (const [name, action, raw, want] of cases) {
    it(name, () => {
      const got = decode(action, raw);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    });
  }
});
