/**
 * BssOpenApi (2017-12-14) QueryAvailableInstances: the caller's billable instances as the Billing
 * Management API lists them. Terraform's provider calls it at start (ProductCode=vipcloudfw) to
 * learn the account type; OpenECS bills only ECS instances, so any other product lists nothing,
 * as a real account without that product does. A subscription ends at its expiry and renews as
 * its ECS renewal settings say.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import {
  billingStatusOf, ECS_PRODUCT_CODE, RENEW_STATUSES, renewalDurationUnitOf, renewalStatusesFor, renewStatusOf,
  SUBSCRIPTION_TYPES, subscriptionTypeOf,
} from '../domain/billing.js';
import { isKnownRegion } from '../domain/catalog/regions.js';
import { isoSecond, parseUtc, PAY_AS_YOU_GO_EXPIRED_TIME } from '../domain/time.js';
import { bssOpenApiHandlers } from './typed-handlers.js';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 300;
const MAX_INSTANCE_IDS = 100;
/** Alibaba Cloud's own seller id on the China site: ECS is sold by the platform, not a partner. */
const PLATFORM_SELLER_ID = 26842;
/** Pay-as-you-go ends when ECS says it does (its ExpiredTime sentinel), to the second. */
const PAY_AS_YOU_GO_END = PAY_AS_YOU_GO_EXPIRED_TIME.replace(/Z$/, ':00Z');

export function invalid(name: string, why: string): EcsError {
  return new EcsError('InvalidParameter', `The specified parameter "${name}" is not valid. ${why}`, 400);
}

function timeBound(p: Params, name: string): number | undefined {
  const raw: string | undefined = p[name];
  if (raw === undefined || raw === '') return undefined;
  const ms = parseUtc(raw);
  if (ms === undefined) throw invalid(name, 'Use the UTC format yyyy-MM-ddTHH:mm:ssZ.');
  return ms;
}

function oneOf<T extends string>(p: Params, name: string, allowed: readonly T[]): T | undefined {
  const v: string | undefined = p[name];
  if (v === undefined || v === '') return undefined;
  if (!allowed.includes(v as T)) throw invalid(name, `Valid values: ${allowed.join(', ')}.`);
  return v as T;
}

export const bssActions = bssOpenApiHandlers({
  async QueryAvailableInstances(ctx, req) {
    const p: Params = req;
    const pageNum: number = p.PageNum ?? 1;
    const pageSize: number = p.PageSize ?? DEFAULT_PAGE_SIZE;
    if (pageNum < 1) throw invalid('PageNum', 'It must be at least 1.');
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw invalid('PageSize', `It must be from 1 to ${MAX_PAGE_SIZE}.`);
    const region: string = p.Region ?? '';
    const productCode: string = p.ProductCode ?? '';
    if (region && !productCode) {
      throw new EcsError('MissingParameter', 'The input parameter "ProductCode" that is mandatory when "Region" is set is not supplied.', 400);
    }
    if (region && !isKnownRegion(region)) throw invalid('Region', `The region "${region}" does not exist.`);
    const subscriptionType = oneOf(p, 'SubscriptionType', SUBSCRIPTION_TYPES);
    const renewStatus = oneOf(p, 'RenewStatus', RENEW_STATUSES);
    const ids = p.InstanceIDs ? String(p.InstanceIDs).split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    if (ids && ids.length > MAX_INSTANCE_IDS) throw invalid('InstanceIDs', `At most ${MAX_INSTANCE_IDS} ids, separated by commas.`);
    const created = [timeBound(p, 'CreateTimeStart'), timeBound(p, 'CreateTimeEnd')] as const;
    const ended = [timeBound(p, 'EndTimeStart'), timeBound(p, 'EndTimeEnd')] as const;

    const ok = <T>(list: T[], total: number) => ({
      Code: 'Success', Message: 'Successful!', Success: true,
      Data: { PageNum: pageNum, PageSize: pageSize, TotalCount: total, InstanceList: list },
    });
    const otherProduct = (productCode && productCode !== ECS_PRODUCT_CODE) || (p.ProductType && p.ProductType !== ECS_PRODUCT_CODE);
    // Renewal applies to subscriptions only.
    if (otherProduct || (renewStatus && subscriptionType === 'PayAsYouGo')) return ok([], 0);

    let q = ctx.db.selectFrom('instances')
      .where('account_id', '=', ctx.principal.accountId)
      .where('deleted_at', 'is', null);
    if (region) q = q.where('region_id', '=', region);
    if (ids) q = q.where('id', 'in', ids.length ? ids : ['']);
    const chargeType = renewStatus ? 'PrePaid' : subscriptionType && (subscriptionType === 'Subscription' ? 'PrePaid' : 'PostPaid');
    if (chargeType) q = q.where('instance_charge_type', '=', chargeType);
    if (renewStatus) q = q.where('renewal_status', 'in', renewalStatusesFor(renewStatus));
    if (created[0] !== undefined) q = q.where('created_at', '>=', created[0]);
    if (created[1] !== undefined) q = q.where('created_at', '<=', created[1]);
    if (ended[0] !== undefined || ended[1] !== undefined) {
      // A subscription ends at its expiry; pay-as-you-go at the fixed far-future sentinel.
      const [from, to] = ended;
      const paygEnd = parseUtc(PAY_AS_YOU_GO_END)!;
      const paygInRange = (from === undefined || paygEnd >= from) && (to === undefined || paygEnd <= to);
      q = q.where((eb) => {
        const sub = [eb('instance_charge_type', '=', 'PrePaid'), eb('expires_at', 'is not', null)];
        if (from !== undefined) sub.push(eb('expires_at', '>=', from));
        if (to !== undefined) sub.push(eb('expires_at', '<=', to));
        const either = [eb.and(sub)];
        if (paygInRange) either.push(eb('instance_charge_type', '!=', 'PrePaid'));
        return eb.or(either);
      });
    }
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const rows = await q.select(['id', 'region_id', 'instance_charge_type', 'status', 'created_at', 'expires_at', 'renewal_status', 'renewal_duration', 'renewal_unit'])
      .orderBy('created_at').orderBy('id').offset((pageNum - 1) * pageSize).limit(pageSize).execute();
    const now = ctx.now();
    const ownerId = Number(ctx.principal.accountId);
    return ok(rows.map((r) => {
        const type = subscriptionTypeOf(r.instance_charge_type);
        const renew = renewStatusOf(type, r.renewal_status);
        const expiresAt = r.expires_at === null ? null : Number(r.expires_at);
        const unit = renew === 'AutoRenewal' ? renewalDurationUnitOf(r.renewal_unit) : undefined;
        return {
          InstanceID: r.id,
          ProductCode: ECS_PRODUCT_CODE,
          ProductType: ECS_PRODUCT_CODE,
          SubscriptionType: type,
          Status: billingStatusOf(r.status, type === 'Subscription' ? expiresAt : null, now),
          SubStatus: 'Normal',
          ...(renew ? { RenewStatus: renew } : {}),
          ...(unit ? { RenewalDuration: r.renewal_duration, RenewalDurationUnit: unit } : {}),
          CreateTime: isoSecond(Number(r.created_at)),
          EndTime: type === 'Subscription' && expiresAt !== null ? isoSecond(expiresAt) : PAY_AS_YOU_GO_END,
          Region: r.region_id,
          OwnerId: ownerId,
          Seller: String(PLATFORM_SELLER_ID),
          SellerId: PLATFORM_SELLER_ID,
        };
      }), total);
  },
});
