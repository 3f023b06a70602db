/** DescribeAccountAttributes' values (src/domain/account-attributes.ts): enforced or measured, never invented. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ATTRIBUTE_NAMES, accountAttributes, UNENFORCED_ATTRIBUTES } from '../../src/domain/account-attributes.js';

const facts = {
  maxSecurityGroups: 100, usedPostpaidVcpus: 6, usedSpotVcpus: 0, usedPostpaidDataDiskGiB: 120,
  postpaidTypes: [{ zoneId: 'z-a', instanceType: 'ecs.g7.large' }, { zoneId: 'z-b', instanceType: 'ecs.c7.large' }],
};

test('each attribute\'s value (table)', () => {
  const cases: [string, string[] | undefined][] = [
    ['instance-network-type', ['vpc']],
    ['max-security-groups', ['100']],
    ['used-postpaid-instance-vcpu-count', ['6']],
    ['used-spot-instance-vcpu-count', ['0']],
    ['used-postpaid-yundisk-capacity', ['120']],
    ['max-dedicated-hosts', ['0']],
    ['max-axt-command-count', ['0']],
    ['real-name-authentication', ['yes']],
    ['supported-postpaid-instance-types', ['ecs.g7.large', 'ecs.c7.large']],
    ['max-postpaid-instance-vcpu-count', undefined],
    ['max-elastic-network-interfaces', undefined],
  ];
  for (const [name, want] of cases) {
    const items = accountAttributes([name], facts);
    assert.deepEqual(items[0]?.AttributeValues.ValueItem.map((v) => v.Value), want, name);
  }
});

test('no names: every answerable attribute, in the metadata\'s order', () => {
  const names = accountAttributes([], facts).map((i) => i.AttributeName);
  assert.deepEqual(names, ACCOUNT_ATTRIBUTE_NAMES.filter((n) => !UNENFORCED_ATTRIBUTES.has(n)));
});
