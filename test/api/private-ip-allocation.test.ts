import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { allocatePrivateIps, releasePrivateIps } from '../../src/store/network.js';
import { EcsError } from '../../src/domain/errors.js';

const R = 'cn-hangzhou';

/**
 * RunInstances' address allocation (allocatePrivateIps) from a VSwitch's free mark (migration
 * 0040): the same addresses as a full read of the used set would give, with the mark forgotten by
 * the store whenever an address is freed or moved.
 */
describe('private address allocation from the free mark', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('lowest free addresses, requested runs and refusals; a freed address is found again', async () => {
    const zoneId = 'cn-hangzhou-h';
    const vpcId = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '192.168.0.0/16' }))).body!.vpcId!;
    // 192.168.7.0/28: usable .1 to .12 (the first and last three are reserved).
    const sw = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, zoneId, vpcId, cidrBlock: '192.168.7.0/28' }))).body!.vSwitchId!;
    const db = s.app.services.db;
    let n = 0;
    const take = (count: number, requested?: string) => db.transaction().execute((trx) =>
      allocatePrivateIps(trx, { vswitchId: sw, instanceIds: Array.from({ length: count }, () => `i-alloc-${++n}`), requested }));
    const mark = async () => (await db.selectFrom('vswitches').select('private_ips_free_from').where('id', '=', sw).executeTakeFirstOrThrow()).private_ips_free_from;
    const refusal = async (fn: () => Promise<unknown>) => {
      try { await fn(); } catch (e) { return e instanceof EcsError ? [e.code, e.status ?? 0] : [String(e), 0]; }
      return ['ok', 0];
    };
    const ip = (last: number) => `192.168.7.${last}`;
    const at = (last: number) => (192 * 2 ** 24) + (168 << 16) + (7 << 8) + last;

    assert.equal(await mark(), null);
    assert.deepEqual(await take(3), [ip(1), ip(2), ip(3)]); // no mark yet: the used set read in full
    assert.equal(await mark(), at(4));
    assert.deepEqual(await take(2, ip(6)), [ip(6), ip(7)]);
    assert.equal(await mark(), at(4), 'a requested run leaves the mark');
    assert.deepEqual(await take(2), [ip(4), ip(5)]);
    assert.deepEqual(await take(2), [ip(8), ip(9)], 'taken addresses above the mark are skipped');
    assert.equal(await mark(), at(10));

    // A requested run is checked address by address; the first failure answers, nothing is taken.
    assert.deepEqual(await refusal(() => take(2, ip(5))), ['InvalidPrivateIpAddress.Duplicated', 0]);
    assert.deepEqual(await refusal(() => take(2, ip(12))), ['InvalidPrivateIpAddress', 0]);
    assert.deepEqual(await refusal(() => take(2, '192.168.7')), ['InvalidPrivateIpAddress.Malformed', 0]);
    assert.deepEqual(await refusal(() => take(2, '192.168.8.1')), ['InvalidPrivateIpAddress', 0]);

    // Freeing an address forgets the mark (a trigger), so the freed one is the lowest free again.
    await db.transaction().execute((trx) => releasePrivateIps(trx, 'i-alloc-2'));
    assert.equal(await mark(), null);
    assert.deepEqual(await take(2), [ip(2), ip(10)]);
    assert.equal(await mark(), at(11));
    // So does moving one (no statement does today; the store still guards it).
    await db.updateTable('private_ips').set({ ip: ip(12) }).where('vswitch_id', '=', sw).where('ip', '=', ip(1)).execute();
    assert.equal(await mark(), null);
    assert.deepEqual(await take(2), [ip(1), ip(11)]);
    assert.deepEqual(await refusal(() => take(1)), ['QuotaExceeded.PrivateIpAddress', 403]);
    assert.equal(await mark(), at(12), 'a refused call changes nothing');
  });
});
