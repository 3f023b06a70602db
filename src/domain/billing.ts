/**
 * How ECS billing shows in the Billing Management API (BssOpenApi): an instance's charge type is
 * a subscription type there, its subscription settings a renewal status, and its lifecycle a
 * billing status.
 */

export type SubscriptionType = 'Subscription' | 'PayAsYouGo';
export type RenewStatus = 'AutoRenewal' | 'ManualRenewal' | 'NotRenewal';

export const SUBSCRIPTION_TYPES: readonly SubscriptionType[] = ['Subscription', 'PayAsYouGo'];
export const RENEW_STATUSES: readonly RenewStatus[] = ['AutoRenewal', 'ManualRenewal', 'NotRenewal'];

/** The product code (and product type) BssOpenApi lists ECS instances under. */
export const ECS_PRODUCT_CODE = 'ecs';

/** The product code BssOpenApi bills Elastic IP addresses under. */
export const EIP_PRODUCT_CODE = 'eip';

/** The product a billed resource belongs to: an EIP (`eip-…`) is its own product, the rest is ECS. */
export function productOf(resourceId: string): string {
  return resourceId.startsWith('eip-') ? EIP_PRODUCT_CODE : ECS_PRODUCT_CODE;
}

/** PrePaid → Subscription, PostPaid → PayAsYouGo. */
export function subscriptionTypeOf(instanceChargeType: string): SubscriptionType {
  return instanceChargeType === 'PrePaid' ? 'Subscription' : 'PayAsYouGo';
}

/**
 * ECS's RenewalStatus (AutoRenewal, Normal = renewed by hand, NotRenewal) as BssOpenApi names
 * it; pay-as-you-go has nothing to renew, so the field is absent.
 */
export function renewStatusOf(type: SubscriptionType, renewalStatus: string): RenewStatus | undefined {
  if (type !== 'Subscription') return undefined;
  if (renewalStatus === 'AutoRenewal' || renewalStatus === 'NotRenewal') return renewalStatus;
  return 'ManualRenewal';
}

/** The ECS RenewalStatus values a BssOpenApi RenewStatus filter stands for. */
export function renewalStatusesFor(renew: RenewStatus): string[] {
  return renew === 'ManualRenewal' ? ['Normal', ''] : [renew];
}

/** RenewalDurationUnit: M for months; weekly renewal has no BssOpenApi unit, so none is shown. */
export function renewalDurationUnitOf(unit: string): 'M' | undefined {
  return unit === 'Month' ? 'M' : undefined;
}

/**
 * An instance still being created is `Creating`; a subscription past its end `Expired`; every
 * other live instance `Normal` (OpenECS has no arrears).
 */
export function billingStatusOf(instanceStatus: string, expiresAt: number | null, now: number): 'Creating' | 'Normal' | 'Expired' {
  if (instanceStatus === 'Pending') return 'Creating';
  return expiresAt !== null && expiresAt <= now ? 'Expired' : 'Normal';
}
