/**
 * ModifyInstanceMetadataOptions: turns the instance's metadata service on or off, sets the
 * security hardening mode (HttpTokens=required: only requests with a token from
 * `PUT /latest/api/token` are answered) and whether the instance's tags are served
 * (InstanceMetadataTags: meta-data/tags/instance/<key>). A running guest on a driver with a
 * metadata service (qemu) gets the change at once, and its tag changes too.
 */
import { EcsError } from '../api/errors.js';
import { metadataOptionsFrom, storedMetadataOptions } from '../domain/instances/metadata-options.js';
import { tagsOf } from '../store/tags.js';
import { requireInstance } from './instance-describe.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

/** Tells the driver the current options (and tags, when served) of the instances among `resourceIds`. */
export async function refreshInstanceMetadata(ctx: ActionContext, resourceIds: string[]): Promise<void> {
  const instanceIds = resourceIds.filter((id) => id.startsWith('i-'));
  if (!ctx.driver.setMetadataOptions || !instanceIds.length) return;
  const rows = await ctx.db.selectFrom('instances').selectAll().where('id', 'in', instanceIds).where('deleted_at', 'is', null).execute();
  const tags = await tagsOf(ctx.db, rows.map((r) => r.id));
  for (const r of rows) {
    const options = storedMetadataOptions(r);
    const served = options.tags === 'enabled' ? Object.fromEntries((tags.get(r.id) ?? []).map((t) => [t.Key, t.Value ?? ''])) : undefined;
    await ctx.driver.setMetadataOptions(r.id, options, served);
  }
}

export const metadataOptionsActions = ecsHandlers({
  async ModifyInstanceMetadataOptions(ctx, p) {
    if (!p.InstanceId) throw new EcsError('MissingParameter', 'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.');
    const row = await requireInstance(ctx, p.InstanceId);
    const options = metadataOptionsFrom(p, storedMetadataOptions(row));
    await ctx.mutate(async (trx) => {
      await trx.updateTable('instances').set({
        metadata_http_endpoint: options.httpEndpoint, metadata_http_tokens: options.httpTokens, metadata_hop_limit: options.hopLimit,
        metadata_tags: options.tags,
      }).where('id', '=', row.id).execute();
      return {};
    });
    await refreshInstanceMetadata(ctx, [row.id]);
    return {};
  },
});
