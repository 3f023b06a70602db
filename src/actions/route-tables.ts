/**
 * vRouters, route tables and route entries (VPC API 2016-04-28; the ECS 2014-05-26 actions of the
 * same names are answered by these handlers through src/actions/ecs-vpc.ts).
 *
 * Every VPC has one vRouter and one System route table (CreateVpc). Its System entries follow
 * from the VSwitches (src/domain/route-entries.ts); custom entries are stored. A custom entry is
 * `Available` as soon as CreateRouteEntry returns (the real service passes through Pending for a
 * moment; clients poll until Available). Creating or deleting one requests the `security-policy`
 * operation in its transaction, whose reconciler also puts the entries on the QEMU driver's VPC
 * bridges (src/network/route-wire.ts).
 *
 * Where the two products name one refusal differently, `byProduct` picks the caller's code.
 */
import { EcsError, errors } from '../domain/errors.js';
import { decodeToken, encodeToken } from './paging.js';
import { given, type Params } from '../api/params.js';
import { isValidVpcDescription, isValidVpcName } from '../domain/network-names.js';
import { newId } from '../domain/ids.js';
import { fitsQuota } from '../domain/quotas.js';
import {
  checkDestination, checkNextHop, ENI_NEXT_HOP, NEXT_HOP_ENI_STATES, NEXT_HOP_INSTANCE_STATES, systemEntries, type RouteEntryView,
} from '../domain/route-entries.js';
import { isoSecond } from '../domain/time.js';
import { findVpcByRouter, listVpcs, updateVpc, vswitchesOfVpcs, type VpcRow } from '../store/network.js';
import { quotaFor } from '../store/quotas.js';
import {
  customEntriesOf, deleteRouteEntry, findCustomEntry, findRouteTable, insertRouteEntry, listRouteTables, nextHopInstance, nextHopInterface, updateRouteTable,
  type RouteEntryRow, type RouteTableRow,
} from '../store/route-tables.js';
import { vpcHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';
import { lockRow } from '../store/row-locks.js';
import { UNIQUE, onViolation } from '../store/unique.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';

const DEFAULT_PAGE_SIZE = 10;
const ENTRY_LIST_DEFAULT = 50;

const scope = (ctx: ActionContext) => ({ accountId: ctx.principal.accountId, regionId: ctx.regionId || undefined });
const byProduct = (ctx: ActionContext, codes: { ecs: string; vpc: string }) => (ctx.product === 'ecs' ? codes.ecs : codes.vpc);

function page(p: Params) {
  const pageNumber: number = p.PageNumber ?? 1;
  const pageSize: number = p.PageSize ?? DEFAULT_PAGE_SIZE;
  return { pageNumber, pageSize, slice: <T>(all: T[]) => all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize) };
}

/** The entries of a table as shown: System ones first (derived from the VSwitches), then custom ones, oldest first. */
async function entriesOf(ctx: ActionContext, tables: RouteTableRow[]): Promise<Map<string, RouteEntryView[]>> {
  const vswitches = await vswitchesOfVpcs(ctx.db, tables.map((t) => t.vpc_id));
  const custom = await customEntriesOf(ctx.db, tables.map((t) => t.id));
  const out = new Map<string, RouteEntryView[]>();
  for (const t of tables) {
    const system = t.type === 'System'
      ? systemEntries(t.id, t.vrouter_id, vswitches.filter((s) => s.vpc_id === t.vpc_id).map((s) => ({ id: s.id, cidr: s.cidr_block })))
      : [];
    out.set(t.id, [...system, ...custom.filter((e) => e.route_table_id === t.id).map(customView)]);
  }
  return out;
}

function customView(e: RouteEntryRow): RouteEntryView {
  return {
    id: e.id, routeTableId: e.route_table_id, destination: e.destination_cidr_block, type: 'Custom', nextHopType: e.next_hop_type,
    nextHopId: e.next_hop_id, name: e.name, description: e.description, status: e.status,
  };
}

async function vpcsById(ctx: ActionContext, ids: string[]): Promise<Map<string, VpcRow>> {
  const { rows } = await listVpcs(ctx.db, { accountId: ctx.principal.accountId, ids: [...new Set(ids)] }, { offset: 0, limit: ids.length + 1 });
  return new Map(rows.map((v) => [v.id, v]));
}

async function requireRouteTable(ctx: ActionContext, id: string, code: string): Promise<RouteTableRow> {
  const t = given(id) ? await findRouteTable(ctx.db, scope(ctx), id) : undefined;
  if (!t) throw new EcsError(code, `The specified route table "${id}" does not exist.`);
  return t;
}

function duplicateDestination(destination: string, tableId: string): EcsError {
  return new EcsError('InvalidCIDRBlock.Duplicate', `Specified CIDR block ${destination} already has a route entry in route table ${tableId}.`);
}

/**
 * Whether a custom entry for `destination` fits in the table: a valid destination not taken by a
 * VSwitch's system route or another entry, and the table's entry quota. Checked once to answer
 * early, and again in the writing transaction with the VPC's row locked.
 */
async function checkRoom(ctx: ActionContext, q: Tx | ActionContext['db'], table: RouteTableRow, destination: string): Promise<void> {
  const vswitches = await vswitchesOfVpcs(q, [table.vpc_id]);
  const custom = await customEntriesOf(q, [table.id]);
  const dest = checkDestination(destination, vswitches.map((s) => s.cidr_block), custom.map((e) => e.destination_cidr_block));
  if (!dest.ok) {
    switch (dest.reason) {
      case 'prefix-list': throw new EcsError(byProduct(ctx, { ecs: 'InvalidCidrBlock.Malformed', vpc: 'ResourceNotFound.PrefixList' }), `Specified prefix list "${destination}" does not exist.`);
      case 'ipv6': throw new EcsError(byProduct(ctx, { ecs: 'InvalidCidrBlock.Malformed', vpc: 'OperationDenied.VpcIpv6NotEnabled' }), 'IPv6 is not enabled for the VPC: OpenECS VPCs are IPv4 only.');
      case 'cloud-service': throw new EcsError('InvalidDestinationCidrBlock', 'The destination CIDR block must not be 100.64.0.0/10 or inside it (reserved for cloud services).');
      case 'vswitch': throw new EcsError(byProduct(ctx, { ecs: 'RouteConflict.AlreadyExist', vpc: 'OperationUnsupported.DestinationCidrBlockOverlapWithVSwitch' }),
        `The destination CIDR block ${destination} lies inside the CIDR block ${dest.conflict} of a VSwitch of the VPC, whose system route takes it.`);
      case 'duplicate': throw duplicateDestination(destination, table.id);
      default: throw new EcsError('InvalidCidrBlock.Malformed', `Specified CIDR block "${destination}" is not valid.`);
    }
  }
  const limit = await quotaFor(q, ctx.principal.accountId, 'route-entries-per-table');
  if (!fitsQuota(custom.length, limit)) throw new EcsError('QuotaExceeded', `Route entry quota exceeded: at most ${limit} custom entries per route table.`);
}

/** The next hop exists in the table's VPC and is in a state to take traffic (an ENI attached or not). */
async function checkHop(ctx: ActionContext, q: Tx | ActionContext['db'], table: RouteTableRow, hop: { type: string; id: string }): Promise<void> {
  if (hop.type !== ENI_NEXT_HOP) return checkHopInstance(ctx, q, table, hop.id);
  const eni = await nextHopInterface(q, scope(ctx), hop.id);
  if (!eni) throw new EcsError('InvalidNetworkInterface.NotFound', `The specified networkInterface "${hop.id}" does not exist.`);
  if (eni.vpc_id !== table.vpc_id) throw new EcsError('InvalidNexthop', `The Specified nexthop illegal: the network interface ${hop.id} is not in the VPC ${table.vpc_id} of the route table.`);
  if (!NEXT_HOP_ENI_STATES.includes(eni.status)) {
    throw new EcsError('IncorrectInstanceStatus', `The network interface ${hop.id} is ${eni.status}: a next hop must be Available or InUse.`);
  }
}

async function checkHopInstance(ctx: ActionContext, q: Tx | ActionContext['db'], table: RouteTableRow, hopId: string): Promise<void> {
  const instance = await nextHopInstance(q, scope(ctx), hopId);
  if (!instance) throw new EcsError('InvalidNextHopId.NotFound', `Specified next hop "${hopId}" does not exist.`);
  if (instance.vpc_id !== table.vpc_id) throw new EcsError('OperationFailed.InstanceDismatchCurrentVpc', `The instance ${hopId} is not in the VPC ${table.vpc_id} of the route table.`);
  if (!NEXT_HOP_INSTANCE_STATES.includes(instance.status)) {
    throw new EcsError('IncorrectInstanceStatus', `The instance ${hopId} is ${instance.status}: a next hop must be Running or Stopped.`);
  }
}

export const routeTableActions = vpcHandlers({
  async DescribeVRouters(ctx, p) {
    if (ctx.dryRun) throw errors.dryRun();
    const pg = page(p);
    const { rows } = await listVpcs(ctx.db, scope(ctx), { offset: 0, limit: 1_000_000 });
    const routers = rows.filter((v) => !given(p.VRouterId) || v.vrouter_id === p.VRouterId);
    const shown = pg.slice(routers);
    const tables = await listRouteTables(ctx.db, { ...scope(ctx), vpcIds: shown.map((v) => v.id) });
    return {
      TotalCount: routers.length, PageNumber: pg.pageNumber, PageSize: pg.pageSize,
      VRouters: {
        VRouter: shown.map((v) => ({
          VRouterId: v.vrouter_id, VpcId: v.id, RegionId: v.region_id, VRouterName: v.vrouter_name, Description: v.vrouter_description,
          CreationTime: isoSecond(Number(v.created_at)),
          RouteTableIds: { RouteTableId: tables.filter((t) => t.vrouter_id === v.vrouter_id).map((t) => t.id) },
        })),
      },
    };
  },

  async ModifyVRouterAttribute(ctx, p) {
    const vpc = given(p.VRouterId) ? await findVpcByRouter(ctx.db, scope(ctx), p.VRouterId) : undefined;
    if (!vpc) throw new EcsError('InvalidVRouterId.NotFound', `Specified virtual router "${p.VRouterId}" does not exist.`);
    if (given(p.VRouterName) && !isValidVpcName(p.VRouterName)) {
      throw new EcsError('InvalidVRouterName.Malformed', 'Specified virtual router name is not valid: 1 to 128 characters, not starting with http:// or https://.');
    }
    if (given(p.Description) && !isValidVpcDescription(p.Description)) {
      // The ECS version spells its code "Discription", as its CreateVpc does.
      throw new EcsError(byProduct(ctx, { ecs: 'InvalidVRouterDiscription.Malformed', vpc: 'InvalidVRouterDescription.Malformed' }),
        'Specified virtual router description is not valid: 1 to 256 characters, not starting with http:// or https://.');
    }
    return ctx.mutate(async (trx) => {
      await updateVpc(trx, vpc.id, {
        ...(given(p.VRouterName) ? { vrouter_name: p.VRouterName } : {}),
        ...(given(p.Description) ? { vrouter_description: p.Description } : {}),
      });
      return {};
    });
  },

  async DescribeRouteTables(ctx, p) {
    if (ctx.dryRun) throw errors.dryRun();
    const pg = page(p);
    const router: string | undefined = given(p.VRouterId) ? p.VRouterId : given(p.RouterId) ? p.RouterId : undefined;
    // Only vRouters exist here: a VBR's tables, or a router named twice differently, match none.
    const none = (given(p.RouterType) && p.RouterType !== 'VRouter') || (given(p.VRouterId) && given(p.RouterId) && p.VRouterId !== p.RouterId);
    let tables = none ? [] : await listRouteTables(ctx.db, {
      ...scope(ctx), ids: given(p.RouteTableId) ? [p.RouteTableId] : undefined, vrouterId: router,
      name: given(p.RouteTableName) ? p.RouteTableName : undefined, type: given(p.Type) ? p.Type : undefined,
    });
    const vpcs = await vpcsById(ctx, tables.map((t) => t.vpc_id));
    if (given(p.ResourceGroupId)) tables = tables.filter((t) => vpcs.get(t.vpc_id)?.resource_group_id === p.ResourceGroupId);
    const shown = pg.slice(tables);
    const entries = await entriesOf(ctx, shown);
    const vswitches = await vswitchesOfVpcs(ctx.db, shown.map((t) => t.vpc_id));
    return {
      TotalCount: tables.length, PageNumber: pg.pageNumber, PageSize: pg.pageSize,
      RouteTables: {
        RouteTable: shown.map((t) => ({
          RouteTableId: t.id, VRouterId: t.vrouter_id, RouteTableType: t.type, Status: 'Available',
          CreationTime: isoSecond(Number(t.created_at)), ResourceGroupId: vpcs.get(t.vpc_id)?.resource_group_id ?? '',
          VSwitchIds: { VSwitchId: vswitches.filter((s) => s.vpc_id === t.vpc_id).map((s) => s.id) },
          RouteEntrys: {
            RouteEntry: (entries.get(t.id) ?? []).map((e) => ({
              RouteTableId: e.routeTableId, RouteEntryId: e.id, DestinationCidrBlock: e.destination, Type: e.type, Status: e.status,
              NextHopType: e.nextHopType, InstanceId: e.nextHopId, RouteEntryName: e.name, Description: e.description,
              NextHops: { NextHop: [] }, // ECMP lists only; a single next hop is NextHopType/InstanceId
            })),
          },
        })),
      },
    };
  },

  async CreateRouteEntry(ctx, p) {
    const table = await requireRouteTable(ctx, p.RouteTableId, 'InvalidRouteTableId.NotFound');
    if (given(p.RouteEntryName) && !isValidVpcName(p.RouteEntryName)) {
      throw new EcsError('InvalidRouteEntryName.Malformed', 'Specified route entry name is not valid: 1 to 128 characters, not starting with http:// or https://.');
    }
    if (given(p.Description) && !isValidVpcDescription(p.Description)) {
      throw new EcsError('InvalidDescription.Malformed', 'Specified description is not valid: 1 to 256 characters, not starting with http:// or https://.');
    }
    const hop = checkNextHop({ type: given(p.NextHopType) ? p.NextHopType : undefined, id: given(p.NextHopId) ? p.NextHopId : undefined, list: p.NextHopList });
    if (!hop.ok) {
      switch (hop.reason) {
        case 'both-given': throw new EcsError('InvalidNexthopTypeAndList.BothNotNull', 'NextHopType/NextHopId and NextHopList are mutually exclusive.');
        case 'ecmp': throw new EcsError('OperationUnsupported.EcmpRiTypeOrNumber', 'ECMP entries (NextHopList) take router interfaces, and OpenECS has none.');
        case 'type': throw new EcsError('InvalidNextHopType', `Specified parameter NextHopType "${p.NextHopType}" is not valid.`);
        case 'missing-id': throw new EcsError('MissingParameter', 'The input parameter "NextHopId" that is mandatory for processing this request is not supplied.');
        default: throw new EcsError('InvalidNextHop.NotFound', `Specified next hop "${p.NextHopId}" does not exist: OpenECS has no ${p.NextHopType} resources.`);
      }
    }
    const destination = String(p.DestinationCidrBlock ?? '');
    await checkRoom(ctx, ctx.db, table, destination);
    await checkHop(ctx, ctx.db, table, hop);
    const id = newId('rte-');
    return ctx.mutate(async (trx) => {
      // Again with the VPC's row locked (DeleteVpc and CreateVSwitch take it too): concurrent
      // creates in one table count one another's entries, and the table is still there.
      const locked = await lockRow(trx, 'vpcs', table.vpc_id) ? await findRouteTable(trx, scope(ctx), table.id) : undefined;
      if (!locked) throw new EcsError('InvalidRouteTableId.NotFound', `The specified route table "${table.id}" does not exist.`);
      await checkRoom(ctx, trx, locked, destination);
      // The next hop's row too (vpcs → instances / ENIs): one being released or deleted is not routed to.
      await lockRow(trx, hop.type === ENI_NEXT_HOP ? 'network_interfaces' : 'instances', hop.id);
      await checkHop(ctx, trx, locked, hop);
      await onViolation(UNIQUE.routeDestination, () => duplicateDestination(destination, table.id), () => insertRouteEntry(trx, {
        id, route_table_id: table.id, destination_cidr_block: destination.trim(), type: 'Custom', next_hop_type: hop.type,
        next_hop_id: hop.id, name: p.RouteEntryName ?? '', description: p.Description ?? '', status: 'Available', created_at: ctx.now(),
      }));
      await requestSecurityPolicy(trx, ctx.now());
      return { RouteEntryId: id };
    });
  },

  async DeleteRouteEntry(ctx, p) {
    if ((p.NextHopList ?? []).length > 0 && given(p.NextHopId)) {
      throw new EcsError('ParamExclusive.NextHopIdAndList', 'NextHopId and NextHopList cannot both be given.');
    }
    if (given(p.RouteEntryId) && (given(p.RouteTableId) || given(p.DestinationCidrBlock))) {
      throw new EcsError('ParamExclusive.RouteEntryIdAndRouteTableIdOrDestCidrBlock', 'Give RouteEntryId, or RouteTableId with DestinationCidrBlock, not both.');
    }
    let target: RouteEntryView | undefined;
    let table: RouteTableRow;
    if (given(p.RouteEntryId)) {
      const custom = await findCustomEntry(ctx.db, scope(ctx), p.RouteEntryId);
      if (!custom) throw new EcsError('InvalidRouteEntryId.NotFound', `Specified route entry "${p.RouteEntryId}" does not exist.`);
      table = await requireRouteTable(ctx, custom.route_table_id, 'InvalidRouteTableId.NotFound');
      target = customView(custom);
    } else {
      if (!given(p.RouteTableId)) throw new EcsError('MissingParameter', 'The input parameter "RouteTableId" that is mandatory for processing this request is not supplied.');
      if (!given(p.DestinationCidrBlock)) throw new EcsError('MissingParameter', 'The input parameter "DestinationCidrBlock" that is mandatory for processing this request is not supplied.');
      const destination = p.DestinationCidrBlock.trim();
      table = await requireRouteTable(ctx, p.RouteTableId, 'InvalidRouteTableId.NotFound');
      target = (await entriesOf(ctx, [table])).get(table.id)!.find((e) => e.destination === destination);
      if (!target) throw new EcsError('InvalidRouteEntry.NotFound', `Route table ${table.id} has no entry for ${p.DestinationCidrBlock}.`);
    }
    if (target.type === 'System') throw new EcsError('OperationDenied', `Specified operation is denied as route entry type is system (${target.destination}).`);
    if (given(p.NextHopId) && p.NextHopId !== target.nextHopId) {
      throw new EcsError('InvalidRouteEntry.NotFound', `The entry for ${target.destination} in ${table.id} does not go to ${p.NextHopId}.`);
    }
    const id = target.id;
    return ctx.mutate(async (trx) => {
      await deleteRouteEntry(trx, id);
      await requestSecurityPolicy(trx, ctx.now());
      return {};
    });
  },

  async DescribeRouteEntryList(ctx, p) {
    if (ctx.dryRun) throw errors.dryRun();
    const table = await requireRouteTable(ctx, p.RouteTableId, 'InvalidRouteTable.NotFound');
    const ipVersion = given(p.IpVersion) ? p.IpVersion.toUpperCase() : undefined;
    if (ipVersion && ipVersion !== 'IPV4' && ipVersion !== 'IPV6') throw new EcsError('IllegalParam.IpVersion', `The specified IpVersion "${p.IpVersion}" is not valid: IPv4 or IPv6.`);
    const limit: number = p.MaxResult ?? ENTRY_LIST_DEFAULT;
    if (limit < 1) throw new EcsError('InvalidParameter', 'MaxResult must be from 1 to 500.');
    const offset = given(p.NextToken) ? decodeToken(p.NextToken, 'IllegalParam.NextToken') : 0;
    const dests: string[] = [...(p.DestCidrBlockList ?? []), ...(given(p.DestinationCidrBlock) ? [p.DestinationCidrBlock] : [])];
    const all = ipVersion === 'IPV6' ? [] : (await entriesOf(ctx, [table])).get(table.id)!.filter((e) =>
      (!given(p.RouteEntryId) || e.id === p.RouteEntryId)
      && (dests.length === 0 || dests.includes(e.destination))
      && (!given(p.RouteEntryName) || e.name === p.RouteEntryName)
      && (!given(p.RouteEntryType) || e.type === p.RouteEntryType)
      && (!given(p.NextHopId) || e.nextHopId === p.NextHopId)
      && (!given(p.NextHopType) || e.nextHopType === p.NextHopType));
    const shown = all.slice(offset, offset + limit);
    return {
      NextToken: offset + shown.length < all.length ? encodeToken(offset + shown.length) : '',
      RouteEntrys: {
        RouteEntry: shown.map((e) => ({
          RouteEntryId: e.id, RouteTableId: e.routeTableId, DestinationCidrBlock: e.destination, Type: e.type, Status: e.status,
          IpVersion: 'ipv4', RouteEntryName: e.name, Description: e.description, Origin: e.type === 'System' ? 'SystemRoute' : 'CustomRoute',
          NextHops: {
            NextHop: [{
              NextHopType: e.nextHopType, NextHopId: e.nextHopId, Enabled: 1, Weight: 0, NextHopRegionId: table.region_id,
              NextHopRelatedInfo: { InstanceId: '', InstanceType: '', RegionId: '' },
            }],
          },
        })),
      },
    };
  },

  async ModifyRouteTableAttributes(ctx, p) {
    const table = await requireRouteTable(ctx, p.RouteTableId, 'Abs.InvalidRouteTableId.NotExist');
    if (given(p.RouteTableName) && !isValidVpcName(p.RouteTableName)) {
      throw new EcsError('Abs.InvaliTableName.Malformed', 'The route table name is not valid: 1 to 128 characters, not starting with http:// or https://.');
    }
    if (given(p.Description) && !isValidVpcDescription(p.Description)) {
      throw new EcsError('InvalidDescription.Malformed', 'The description is not valid: 1 to 256 characters, not starting with http:// or https://.');
    }
    return ctx.mutate(async (trx) => {
      await updateRouteTable(trx, table.id, {
        ...(given(p.RouteTableName) ? { name: p.RouteTableName } : {}),
        ...(given(p.Description) ? { description: p.Description } : {}),
        ...(typeof p.RoutePropagationEnable === 'boolean' ? { route_propagation_enable: p.RoutePropagationEnable ? 1 : 0 } : {}),
      });
      return {};
    });
  },
});


