/**
 * ModifyInstanceMetadataOptions: turns the instance's metadata service on or off and sets the
 * security hardening mode (HttpTokens=required: only requests with a token from
 * `PUT /latest/api/token` are answered). A running guest on a driver with a metadata service
 * (qemu) gets the change at once.
 */
import { EcsError } from '../api/errors.js';
import { metadataOptionsFrom, storedMetadataOptions } from '../domain/instances/metadata-options.js';
import { requireInstance } from './instance-describe.js';
import type { HandlerMap } from './types.js';

export const metadataOptionsActions: HandlerMap = {
  async ModifyInstanceMetadataOptions(ctx, p) {
    if (!p.InstanceId) throw new EcsError('MissingParameter', 'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.');
    const row = await requireInstance(ctx, p.InstanceId);
    const options = metadataOptionsFrom(p, storedMetadataOptions(row));
    // Instance tags are not served by this metadata service.
    if (p.InstanceMetadataTags !== undefined && p.InstanceMetadataTags !== 'disabled') {
      throw new EcsError('InvalidInstanceMetadataTags.NotSupported', 'The specified InstanceMetadataTags not supported.');
    }
    return ctx.mutate(async (trx) => {
      await trx.updateTable('instances').set({
        metadata_http_endpoint: options.httpEndpoint, metadata_http_tokens: options.httpTokens, metadata_hop_limit: options.hopLimit,
      }).where('id', '=', row.id).execute();
      await ctx.driver.setMetadataOptions?.(row.id, options);
      return {};
    });
  },
};
