/**
 * ENI permissions: CreateNetworkInterfacePermission lets another account attach one of the
 * caller's secondary ENIs to that account's instances (InstanceAttach, the only permission the
 * metadata documents); AttachNetworkInterface and DetachNetworkInterface by that account then find
 * the ENI (network-interface-lifecycle.ts), and only the zone must match its instance. Revoking
 * (DeleteNetworkInterfacePermission) while the ENI is attached under the grant needs Force, which
 * detaches it through the engine.
 */
import { EcsError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { findAccount } from '../store/security-group-rules.js';
import {
  deleteEniPermission, findEniPermission, insertEniPermission, listEniPermissions, type EniPermissionRow,
} from '../store/eni-permissions.js';
import { findNetworkInterface, getInterfaceForEngine, setInterfaceStatus } from '../store/network-interfaces.js';
import { lockRow } from '../store/row-locks.js';
import { NETWORK_INTERFACE } from '../engine/reconcilers/network-interface.js';
import { pageOf } from './paging.js';
import { ecsHandlers } from './typed-handlers.js';

const PERMISSIONS = ['InstanceAttach'];

function render(r: EniPermissionRow) {
  return {
    NetworkInterfacePermissionId: r.id, NetworkInterfaceId: r.network_interface_id, AccountId: Number(r.grantee_account_id),
    Permission: r.permission, PermissionState: r.state, ServiceName: '',
  };
}

export const networkInterfacePermissionActions = ecsHandlers({
  async CreateNetworkInterfacePermission(ctx, p) {
    if (!PERMISSIONS.includes(p.Permission)) {
      throw new EcsError('InvalidParameter', `The specified parameter "Permission" "${p.Permission}" is not valid: ${PERMISSIONS.join(', ')}.`);
    }
    const eni = await findNetworkInterface(ctx.db, ctx.principal.accountId, ctx.regionId, p.NetworkInterfaceId);
    if (!eni) throw new EcsError('InvalidEniId.NotFound', `The specified NetworkInterfaceId "${p.NetworkInterfaceId}" does not exist.`, 404);
    if (eni.type === 'Primary') throw new EcsError('InvalidOperation.InvalidEniState', `The network interface ${eni.id} is the primary one of ${eni.instance_id}: it cannot be attached elsewhere.`);
    const grantee = String(p.AccountId);
    if (grantee === ctx.principal.accountId) throw new EcsError('InvalidParameter', 'The specified AccountId is the ENI owner\'s own account.');
    if (!(await findAccount(ctx.db, grantee))) throw new EcsError('InvalidParameter', `The specified AccountId "${grantee}" does not exist.`);
    const id = newId('eni-perm-');
    return ctx.mutate(async (trx) => {
      if (!(await lockRow(trx, 'network_interfaces', eni.id))) throw new EcsError('InvalidEniId.NotFound', `The specified NetworkInterfaceId "${eni.id}" does not exist.`, 404);
      const existing = await listEniPermissions(trx, { accountId: ctx.principal.accountId, regionId: ctx.regionId, eniId: eni.id }, 0, 1000);
      if (existing.rows.some((r) => r.grantee_account_id === grantee && r.permission === p.Permission)) {
        throw new EcsError('InvalidOperation.PermissionExisted', `The account ${grantee} already has the ${p.Permission} permission on ${eni.id}.`);
      }
      const row: EniPermissionRow = {
        id, account_id: ctx.principal.accountId, region_id: ctx.regionId, network_interface_id: eni.id, grantee_account_id: grantee,
        permission: p.Permission, state: 'Granted', created_at: ctx.now(),
      };
      await insertEniPermission(trx, row);
      return { NetworkInterfacePermission: render(row) };
    });
  },

  async DescribeNetworkInterfacePermissions(ctx, p) {
    const ids: string[] = (p.NetworkInterfacePermissionId ?? []).filter((x: string) => x !== '');
    if (!p.NetworkInterfaceId && ids.length === 0) {
      throw new EcsError('MissingParameter', 'Either NetworkInterfaceId or NetworkInterfacePermissionId.N is required.');
    }
    if (ids.length > 100) throw new EcsError('InvalidParameter', 'NetworkInterfacePermissionId.N takes at most 100 ids.');
    const page = pageOf(p, { defaultSize: 10, maxSize: 100 });
    const { rows, total } = await listEniPermissions(ctx.db, {
      accountId: ctx.principal.accountId, regionId: ctx.regionId, eniId: p.NetworkInterfaceId || undefined, ids: ids.length ? ids : undefined,
    }, page.offset, page.limit);
    return { TotalCount: total, PageNumber: page.pageNumber, PageSize: page.pageSize, NetworkInterfacePermissions: { NetworkInterfacePermission: rows.map(render) } };
  },

  async DeleteNetworkInterfacePermission(ctx, p) {
    const perm = await findEniPermission(ctx.db, ctx.principal.accountId, ctx.regionId, p.NetworkInterfacePermissionId);
    if (!perm) throw new EcsError('InvalidEniPermissionId.NotFound', `The specified NetworkInterfacePermissionId "${p.NetworkInterfacePermissionId}" does not exist.`, 404);
    return ctx.mutate(async (trx, enqueue) => {
      if (await lockRow(trx, 'network_interfaces', perm.network_interface_id)) {
        const eni = await getInterfaceForEngine(trx, perm.network_interface_id);
        // Attached to one of the grantee's instances under this grant: Force detaches it first.
        const grantee = eni?.instance_id
          ? await trx.selectFrom('instances').select('account_id').where('id', '=', eni.instance_id).executeTakeFirst() : undefined;
        if (eni && grantee?.account_id === perm.grantee_account_id) {
          if (!p.Force) throw new EcsError('InvalidOperation.InvalidEniState', `The network interface ${eni.id} is attached to ${eni.instance_id} of the account ${perm.grantee_account_id} under this permission: detach it first, or use Force.`);
          if (eni.status === 'InUse') {
            await setInterfaceStatus(trx, eni, 'Detaching', ctx.now());
            await enqueue({ kind: NETWORK_INTERFACE, resourceId: eni.id, dueAt: ctx.now() + ctx.driver.transitionMs });
          } else if (eni.status !== 'Detaching') {
            throw new EcsError('InvalidOperation.InvalidEniState', `The network interface ${eni.id} is ${eni.status}; try again once it is InUse.`);
          }
        }
      }
      await deleteEniPermission(trx, perm.id);
      return {};
    });
  },
});
