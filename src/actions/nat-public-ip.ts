/**
 * An instance's NAT public address after it was given (AllocatePublicIpAddress, RunInstances
 * InternetMaxBandwidthOut, src/actions/instance-network.ts): ConvertNatPublicIpToEip turns it into
 * an EIP with the same address, associated with the instance (InUse at once: the address, the
 * private address it maps to and the wire stay as they are; the EIP takes the instance's public
 * bandwidth and its billing method, the instance's public bandwidth becomes 0), and
 * ReleasePublicIpAddress gives it back to the pool. Rules: src/domain/nat-public-ip.ts.
 */
import { EcsError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { fitsQuota } from '../domain/quotas.js';
import { checkConversion, checkRelease, type NatIpInstance } from '../domain/nat-public-ip.js';
import type { Refusal } from '../domain/eips.js';
import { countEips, insertEip } from '../store/eips.js';
import { getInstance, updateInstance, type InstanceRow } from '../store/instances.js';
import { releasePublicIp, transferPublicIp } from '../store/public-ips.js';
import { quotaFor } from '../store/quotas.js';
import { lockAccount, lockRow } from '../store/row-locks.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';
import { refuseIfExpiryLocked } from './expiry-lock.js';
import { requireInstance } from './instance-describe.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';

function raise(r: Refusal | undefined): void {
  if (r) throw new EcsError(r.code, r.message);
}

const factsOf = (r: InstanceRow): NatIpInstance => ({
  id: r.id, status: r.status, publicIp: r.public_ip, bandwidthOut: r.internet_max_bandwidth_out,
  instanceChargeType: r.instance_charge_type, internetChargeType: r.internet_charge_type, createdAt: Number(r.created_at), expiresAt: r.expires_at ?? null,
});

/** The instance's row locked for this transaction and read again. */
async function lockedInstance(ctx: ActionContext, trx: Tx, id: string): Promise<InstanceRow> {
  const row = (await lockRow(trx, 'instances', id)) ? await getInstance(trx, ctx.principal.accountId, id) : undefined;
  if (!row) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${id}" does not exist.`);
  return row;
}

export const natPublicIpActions = ecsHandlers({
  async ConvertNatPublicIpToEip(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    refuseIfExpiryLocked(row, 'InvalidInstance.OverduePayment');
    raise(checkConversion(factsOf(row), ctx.now()));
    const { accountId } = ctx.principal;
    const checkQuota = async (q: Tx | ActionContext['db']) => {
      const limit = await quotaFor(q, accountId, 'eips-per-region');
      if (!fitsQuota(await countEips(q, accountId, row.region_id), limit)) {
        throw new EcsError('MaxEIPQuotaExceeded', `The number of EIP exceeds the limit per region: at most ${limit}.`);
      }
    };
    await checkQuota(ctx.db);
    // The EIP lands in the account's default resource group, as AllocateEipAddress without ResourceGroupId.
    const resourceGroupId = await resolveResourceGroup(ctx, undefined);
    const id = newId('eip-');
    return ctx.mutate(async (trx) => {
      // Lock order: the account (EIP quota), the resource group, then the instance; all checked again.
      await lockAccount(trx, accountId);
      await holdResourceGroup(ctx, trx, resourceGroupId);
      await checkQuota(trx);
      const now = await lockedInstance(ctx, trx, row.id);
      refuseIfExpiryLocked(now, 'InvalidInstance.OverduePayment');
      raise(checkConversion(factsOf(now), ctx.now()));
      await insertEip(trx, {
        id, account_id: accountId, region_id: now.region_id, ip_address: now.public_ip, name: '', description: '',
        bandwidth: now.internet_max_bandwidth_out, internet_charge_type: now.internet_charge_type, charge_type: 'PostPaid', isp: 'BGP',
        status: 'InUse', instance_id: now.id, instance_type: 'EcsInstance', private_ip: '', resource_group_id: resourceGroupId,
        deletion_protection: 0, created_at: ctx.now(),
      });
      await transferPublicIp(trx, now.public_ip, { holderId: id, kind: 'eip' });
      await updateInstance(trx, now.id, { public_ip: '', internet_max_bandwidth_out: 0 });
      // Same address, same private address, same bandwidth: the wire is compiled again all the same.
      await requestSecurityPolicy(trx, ctx.now());
      return {};
    });
  },

  async ReleasePublicIpAddress(ctx, p) {
    if (!p.InstanceId) throw new EcsError('InvalidIpAddress.NeedInstanceId', 'The specified IpAddress need to release with InstanceId.');
    const row = await requireInstance(ctx, p.InstanceId);
    raise(checkRelease(factsOf(row), p.PublicIpAddress, ctx.now()));
    return ctx.mutate(async (trx) => {
      const now = await lockedInstance(ctx, trx, row.id);
      raise(checkRelease(factsOf(now), p.PublicIpAddress, ctx.now()));
      await updateInstance(trx, now.id, { public_ip: '' });
      await releasePublicIp(trx, now.id, now.public_ip);
      // The address's NAT comes off the wire.
      await requestSecurityPolicy(trx, ctx.now());
      return {};
    });
  },
});
