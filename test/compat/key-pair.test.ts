/**
 * alicloud_ecs_key_pair (CreateKeyPair or ImportKeyPair) and alicloud_ecs_key_pair_attachment
 * (terraform-calls.md §10, §11): DescribeKeyPairs must filter by the exact name (element [0] is
 * taken unchecked); the attachment reads DescribeInstances by KeyPairName with MaxResults and
 * follows NextToken while it is a non-empty string.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { fails, jsonList, ok, ProviderClient, refreshFrom, waitFor } from './provider-client.js';
import { expectCleanSuccess, expectFields } from './expect.js';
import { describeInstanceSdk } from './instance-read.js';
import { KEYS } from '../unit/ssh-keys.fixture.js';

describe('alicloud_ecs_key_pair and alicloud_ecs_key_pair_attachment', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let instances: string[] = [];
  let generated = '';
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    tf = ProviderClient.for(s);
    const n = await createNetwork(s);
    instances = (await s.ecs.runInstances(runRequest(n, { amount: 2 }))).body!.instanceIdSets!.instanceIdSet!;
    await s.advance(5000);
  });
  after(async () => { await s.close(); });

  const describeKey = (name: string) => tf.rpc('Ecs', 'DescribeKeyPairs', { KeyPairName: name, RegionId: tf.region });

  it('ImportKeyPair (public_key set) and CreateKeyPair (a generated terraform-… name, PrivateKeyBody for key_file)', async () => {
    const d = ok(await tf.rpc('Ecs', 'ImportKeyPair', { RegionId: tf.region, KeyPairName: 'tf-key', PublicKeyBody: KEYS.ed25519, Tag: [{ Key: 'env', Value: 'tf' }] }));
    expectCleanSuccess(d);
    assert.equal(d.str('KeyPairName'), 'tf-key');
    // A name sharing the prefix, so a prefix or wildcard match would show up as element [0].
    ok(await tf.rpc('Ecs', 'ImportKeyPair', { RegionId: tf.region, KeyPairName: 'tf-key-2', PublicKeyBody: KEYS.rsa }));
    generated = `terraform-${Date.now()}`;
    const c = ok(await tf.rpc('Ecs', 'CreateKeyPair', { RegionId: tf.region, KeyPairName: generated }));
    assert.equal(c.str('KeyPairName'), generated);
    assert.match(c.str('PrivateKeyBody'), /BEGIN (RSA )?PRIVATE KEY/);
    assert.equal(typeof c.str('KeyPairFingerPrint'), 'string');
  });

  it('Read: DescribeKeyPairs filtered by the exact name, fields and Tags an object', async () => {
    for (const name of ['tf-key', 'tf-key-2', generated]) {
      const d = ok(await describeKey(name));
      assert.equal(d.arr('KeyPairs.KeyPair').length, 1, `KeyPairName=${name} must match exactly`);
      assert.equal(d.str('KeyPairs.KeyPair[0].KeyPairName'), name);
    }
    const k = ok(await describeKey('tf-key')).at('KeyPairs.KeyPair[0]');
    expectFields(k, { KeyPairFingerPrint: 's', CreationTime: 's', ResourceGroupId: 's', KeyPairName: 's', Tags: 'o', 'Tags.Tag': 'a' }, 'KeyPairs.KeyPair[0]');
    assert.deepEqual(k.plain('Tags.Tag'), [{ TagKey: 'env', TagValue: 'tf' }]);
  });

  it('update: JoinResourceGroup (keypair), UntagResources/TagResources (keypair)', async () => {
    const rg = ok(await tf.rpc('ResourceManager', 'CreateResourceGroup', { Name: 'tf-kp-rg', DisplayName: 'kp rg' })).str('ResourceGroup.Id');
    ok(await tf.rpc('Ecs', 'JoinResourceGroup', { ResourceType: 'keypair', ResourceId: 'tf-key', RegionId: tf.region, ResourceGroupId: rg }));
    ok(await tf.rpc('Ecs', 'UntagResources', { ResourceType: 'keypair', ResourceId: ['tf-key'], RegionId: tf.region, TagKey: ['env'] }));
    ok(await tf.rpc('Ecs', 'TagResources', { ResourceType: 'keypair', ResourceId: ['tf-key'], RegionId: tf.region, Tag: [{ Key: 'tier', Value: 'ops' }] }));
    const k = ok(await describeKey('tf-key')).at('KeyPairs.KeyPair[0]');
    assert.equal(k.str('ResourceGroupId'), rg);
    assert.deepEqual(k.plain('Tags.Tag'), [{ TagKey: 'tier', TagValue: 'ops' }]);
  });

  /** The attachment's Read: DescribeInstances by KeyPairName with MaxResults=50, following NextToken. */
  async function attachedTo(name: string, ids: string[]): Promise<string[]> {
    const found: string[] = [];
    let token: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const d = ok(await tf.rpc('Ecs', 'DescribeInstances', { RegionId: tf.region, KeyPairName: name, InstanceIds: jsonList(ids), MaxResults: 50, NextToken: token }));
      for (const i of d.items('Instances.Instance')) if (i.str('KeyPairName') === name) found.push(i.str('InstanceId'));
      const next = d.has('NextToken') ? d.str('NextToken') : '';
      if (!next) return found.sort();
      token = next;
    }
    assert.fail('NextToken never became empty');
  }

  it('attachment create (force): AttachKeyPair (InstanceIds JSON list), RebootInstance(ForceStop) each + wait Running; Read', async () => {
    ok(await tf.rpc('Ecs', 'AttachKeyPair', { RegionId: tf.region, InstanceIds: jsonList(instances), KeyPairName: 'tf-key' }));
    for (const id of instances) {
      ok(await tf.rpc('Ecs', 'RebootInstance', { InstanceId: id, ForceStop: true }));
      await waitFor(s, {
        pending: [], target: ['Running'], delayMs: 5000, timeoutMs: 10 * 60_000,
        refresh: refreshFrom(() => describeInstanceSdk(tf, id), (d) => (d.arr('Instances.Instance').length ? { found: true, state: d.str('Instances.Instance[0].Status') } : { found: false })),
      });
    }
    assert.deepEqual(await attachedTo('tf-key', instances), [...instances].sort());
  });

  it('attachment delete: DetachKeyPair; the Read then finds none; DeleteKeyPairs (KeyPairNames JSON list) and the key is gone', async () => {
    ok(await tf.rpc('Ecs', 'DetachKeyPair', { RegionId: tf.region, KeyPairName: 'tf-key', InstanceIds: jsonList(instances) }));
    assert.deepEqual(await attachedTo('tf-key', instances), []);
    ok(await tf.rpc('Ecs', 'DeleteKeyPairs', { KeyPairNames: jsonList(['tf-key']), RegionId: tf.region }));
    assert.deepEqual(ok(await describeKey('tf-key')).arr('KeyPairs.KeyPair'), []);
    const again = await tf.rpc('Ecs', 'DeleteKeyPairs', { KeyPairNames: jsonList(['tf-key']), RegionId: tf.region });
    if (again.isError) assert.ok(fails(again).isNotFound || /NotFound/.test(again.code), again.describe());
  });

  it('DeleteKeyPairs of a key still attached answers a code the provider retries or a success, never 5xx', async () => {
    ok(await tf.rpc('Ecs', 'AttachKeyPair', { RegionId: tf.region, InstanceIds: jsonList([instances[0]!]), KeyPairName: 'tf-key-2' }));
    const r = await tf.rpc('Ecs', 'DeleteKeyPairs', { KeyPairNames: jsonList(['tf-key-2']), RegionId: tf.region });
    if (r.isError) assert.ok(fails(r).isExpected(['ServiceUnavailable', 'InvalidParameter.KeypairAlreadyAttachedInstance']), r.describe());
  });
});
