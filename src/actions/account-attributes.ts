/** DescribeAccountAttributes (src/domain/account-attributes.ts): the account's quota attributes in a region. */
import { ACCOUNT_ATTRIBUTE_NAMES, accountAttributes } from '../domain/account-attributes.js';
import { findRegion, typesInZone } from '../domain/catalog/index.js';
import { EcsError } from '../domain/errors.js';
import { postpaidDataDiskGiB, postpaidVcpus } from '../store/account-usage.js';
import { quotaFor } from '../store/quotas.js';
import { ecsHandlers } from './typed-handlers.js';

export const accountAttributeActions = ecsHandlers({
  async DescribeAccountAttributes(ctx, p) {
    const names: string[] = [...new Set((p.AttributeName ?? []).filter((n) => n !== ''))];
    const unknown = names.find((n) => !ACCOUNT_ATTRIBUTE_NAMES.includes(n));
    if (unknown !== undefined) {
      throw new EcsError('Invalid.Parameter', `The specified AttributeName "${unknown}" is not valid: ${ACCOUNT_ATTRIBUTE_NAMES.join(', ')}.`);
    }
    const region = findRegion(ctx.regionId);
    const zones = (region?.zones ?? []).filter((z) => !p.ZoneId || z.id === p.ZoneId);
    if (p.ZoneId && !zones.length) throw new EcsError('Invalid.Parameter', `The specified ZoneId "${p.ZoneId}" is not a zone of ${ctx.regionId}.`);
    const accountId = ctx.principal.accountId;
    const [maxSecurityGroups, usedPostpaidVcpus, usedSpotVcpus, usedPostpaidDataDiskGiB] = await Promise.all([
      quotaFor(ctx.db, accountId, 'security-groups-per-region'),
      postpaidVcpus(ctx.db, accountId, ctx.regionId),
      postpaidVcpus(ctx.db, accountId, ctx.regionId, true),
      postpaidDataDiskGiB(ctx.db, accountId, ctx.regionId),
    ]);
    const postpaidTypes = region ? zones.flatMap((zone) => typesInZone({ region, zone }).map((t) => ({ zoneId: zone.id, instanceType: t.id }))) : [];
    const items = accountAttributes(names, { maxSecurityGroups, usedPostpaidVcpus, usedSpotVcpus, usedPostpaidDataDiskGiB, postpaidTypes });
    return { AccountAttributeItems: { AccountAttributeItem: items } };
  },
});
