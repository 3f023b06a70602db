import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EcsError } from '../../src/domain/errors.js';
import {
  csvExportFileName, exportRulesCsv, exportRulesJson, jsonExportFileName, MAX_IMPORT_RULES, parseCsv, parseRuleFile, planImport, planRestore,
  ruleKey, validateRule, type GroupContext, type RuleInput, type RuleSet, type RuleSpec,
} from '../../src/domain/security-rules/index.js';

const G: GroupContext = { type: 'normal', network: 'vpc', accountId: '1000000000000001' };
const inb = (i: RuleInput) => validateRule(i, 'ingress', G, 'authorize').spec;
const outb = (i: RuleInput) => validateRule(i, 'egress', G, 'authorize').spec;

const rules: RuleSpec[] = [
  inb({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '1.2.3.4/32', Description: 'ssh, from "office"' }),
  inb({ IpProtocol: 'all', SourceGroupId: 'sg-peer', Priority: '5', Policy: 'drop' }),
  inb({ IpProtocol: 'icmpv6', Ipv6SourceCidrIp: '2001:db8::/32' }),
  outb({ IpProtocol: 'udp', PortRange: '53/53', DestCidrIp: '8.8.8.8', SourcePortRange: '1024/65535' }),
];
const keys = (rs: RuleSpec[]) => rs.map(ruleKey).sort();

function code(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof EcsError) return e.code; throw e; }
  return 'OK';
}

describe('export file names (guide L1059–1061, L1191–1194)', () => {
  it('JSON: ecs_${region_id}_${groupID}.json', () => assert.equal(jsonExportFileName('cn-qingdao', 'sg-123'), 'ecs_cn-qingdao_sg-123.json'));
  it('CSV: ecs_sgRule_{groupID}_{region_id}_{YYYY-MM-DD}.csv', () => {
    assert.equal(csvExportFileName('cn-qingdao', 'sg-123', Date.parse('2020-01-20T10:00:00Z')), 'ecs_sgRule_sg-123_cn-qingdao_2020-01-20.csv');
  });
});

describe('export and import round trip', () => {
  it('JSON export imports back to the same rules', () => {
    const out = exportRulesJson('cn-hangzhou', 'sg-a', rules);
    assert.equal(out.fileName, 'ecs_cn-hangzhou_sg-a.json');
    const doc = JSON.parse(out.content);
    assert.equal(doc.Permissions.length, 4);
    assert.equal(doc.Permissions[0].IpProtocol, 'TCP');
    assert.equal(doc.Permissions[1].Policy, 'Drop');
    assert.equal(doc.Permissions[1].SourceGroupOwnerAccount, G.accountId);
    const plan = planImport(parseRuleFile(out.content), G, []);
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(keys(plan.toAdd), keys(rules));
    assert.equal(plan.toAdd[0]!.description, 'ssh, from "office"');
  });
  it('CSV export (quotes, commas) imports back to the same rules', () => {
    const out = exportRulesCsv('cn-hangzhou', 'sg-a', rules, Date.parse('2026-11-23T06:00:00Z'));
    assert.equal(out.fileName, 'ecs_sgRule_sg-a_cn-hangzhou_2026-11-23.csv');
    assert.match(out.content, /"ssh, from ""office"""/);
    const plan = planImport(parseRuleFile(out.content), G, []);
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(keys(plan.toAdd), keys(rules));
    assert.equal(plan.toAdd.find((r) => r.ipProtocol === 'tcp')!.description, 'ssh, from "office"');
  });
  it('a bare JSON list and the Describe shape are read too', () => {
    assert.equal(parseRuleFile('[{"Direction":"ingress","IpProtocol":"tcp","PortRange":"80/80","SourceCidrIp":"0.0.0.0/0"}]').length, 1);
    assert.equal(parseRuleFile('{"Permissions":{"Permission":[{"Direction":"egress","IpProtocol":"all","DestCidrIp":"0.0.0.0/0"}]}}').length, 1);
  });
  it('malformed files are refused', () => {
    assert.equal(code(() => parseRuleFile('{not json', 'json')), 'InvalidFile.Malformed');
    assert.equal(code(() => parseRuleFile('{"Permissions": 3}')), 'InvalidFile.Malformed');
    assert.equal(code(() => parseRuleFile('a,b\n1,2', 'csv')), 'InvalidFile.Malformed');
    assert.equal(code(() => parseCsv('IpProtocol\n"open')), 'InvalidFile.Malformed');
  });
  it('CSV parsing: CRLF, BOM, embedded newlines, blank lines', () => {
    assert.deepEqual(parseCsv('\ufeffa,b\r\n"x\ny",2\r\n\r\n3,"4"""'), [['a', 'b'], ['x\ny', '2'], ['3', '4"']]);
  });
});

describe('import preview (guide L1070–1085, T-IMPORT)', () => {
  it('at most 100 rules are imported; the excess is reported', () => {
    const items = Array.from({ length: 150 }, (_, i) => ({ Direction: 'ingress', IpProtocol: 'tcp', PortRange: `${i + 1}/${i + 1}`, SourceCidrIp: '0.0.0.0/0' }));
    const plan = planImport(items, G, []);
    assert.equal(plan.toAdd.length, MAX_IMPORT_RULES);
    assert.equal(plan.truncated, 50);
  });
  it('existing rules are kept, not overwritten; repeats and bad rules are reported per rule', () => {
    const existing = [rules[0]!];
    const items = [
      { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '1.2.3.4/32', Description: 'other text' },
      { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' },
      { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' },
      { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '0/80', SourceCidrIp: '0.0.0.0/0' },
      { Direction: 'sideways', IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' },
      { Direction: 'Outbound', IpProtocol: 'all', DestCidrIp: '0.0.0.0/0' },
    ];
    const plan = planImport(items, G, existing);
    assert.equal(plan.toAdd.length, 2);
    assert.deepEqual(plan.skipped.map((s) => s.index), [0, 2]);
    assert.deepEqual(plan.errors.map((e) => [e.index, e.code]), [[3, 'InvalidParam.PortRange'], [4, 'InvalidDirection.Malformed']]);
    assert.equal(plan.toAdd[1]!.direction, 'egress');
  });
  it('checks rules against the target group (an advanced group refuses drop)', () => {
    const plan = planImport([{ Direction: 'ingress', IpProtocol: 'all', SourceCidrIp: '0.0.0.0/0', Policy: 'drop' }], { ...G, type: 'enterprise' }, []);
    assert.deepEqual(plan.errors.map((e) => e.code), ['InvalidGroupParameter.OperationDenied']);
  });
});

describe('restore from another group (guide L1012–1021, T-RESTORE)', () => {
  const a = inb({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0' });
  const b = inb({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' });
  const c = inb({ IpProtocol: 'tcp', PortRange: '443/443', SourceCidrIp: '0.0.0.0/0' });
  const system: RuleSpec = { ...inb({ IpProtocol: 'icmp', SourceCidrIp: '0.0.0.0/0' }), priority: 110 };
  const source: RuleSet = { regionId: 'cn-hangzhou', network: 'vpc', groupId: 'sg-src', rules: [a, b] };
  const template: RuleSet = { regionId: 'cn-hangzhou', network: 'vpc', groupId: 'sg-tpl', rules: [b, c, system] };
  it('complete: add what only the template has, remove what only the source has', () => {
    const p = planRestore(source, template, 'complete');
    assert.deepEqual(keys(p.toAdd), keys([c]));
    assert.deepEqual(keys(p.toRemove), keys([a]));
    assert.deepEqual(p.skippedSystem, [system]);
    assert.equal(p.identical, false);
  });
  it('partial: only add', () => {
    const p = planRestore(source, template, 'partial');
    assert.deepEqual(keys(p.toAdd), keys([c]));
    assert.deepEqual(p.toRemove, []);
  });
  it('identical rule sets are a no-op', () => {
    const p = planRestore(source, { ...template, rules: [b, a] }, 'complete');
    assert.equal(p.identical, true);
    assert.deepEqual([p.toAdd.length, p.toRemove.length], [0, 0]);
  });
  it('same region and network type only', () => {
    assert.equal(code(() => planRestore(source, { ...template, regionId: 'cn-beijing' }, 'complete')), 'InvalidParameter.RegionMismatch');
    assert.equal(code(() => planRestore(source, { ...template, network: 'classic' }, 'partial')), 'InvalidParameter.NetworkTypeMismatch');
    assert.equal(code(() => planRestore(source, { ...source }, 'partial')), 'InvalidParameter.SameSecurityGroup');
  });
});
