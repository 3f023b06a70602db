/**
 * ModifyInstanceMetadataOptions: turns the instance's metadata service on or off, sets the
 * security hardening mode (HttpTokens=required: only requests with a token from
 * `PUT /latest/api/token` are answered) and whether the instance's tags are served
 * (InstanceMetadataTags: meta-data/tags/instance/<key>). The options live in the instance row;
 * every change a running guest's metadata service must serve (these options, its tags) bumps the
 * row's metadata generation and enqueues the instance operation in the same transaction, and the
 * engine pushes it to the guest (src/engine/reconcilers/guest-settings.ts), retrying until it holds.
 */
import { EcsError } from '../domain/errors.js';
import { metadataOptionsFrom, storedMetadataOptions } from '../domain/instances/metadata-options.js';
import type { NewOperation } from '../engine/operations.js';
import { requireInstance } from './instance-describe.js';
import { ecsHandlers } from './typed-handlers.js';
import type { Tx } from './types.js';

/**
 * In the writing transaction of a change to what the metadata service serves: the next
 * generation for the live instances among `resourceIds` (when `onlyServingTags`, those that serve
 * their tags), and their instance operations.
 */
export async function bumpMetadataGeneration(
  trx: Tx, enqueue: (op: NewOperation) => Promise<void>, resourceIds: readonly string[], now: number,
  opts: { onlyServingTags?: boolean } = {},
): Promise<void> {
  const candidates = resourceIds.filter((id) => id.startsWith('i-'));
  if (!candidates.length) return;
  let q = trx.updateTable('instances').set((eb) => ({ metadata_generation: eb('metadata_generation', '+', 1) }))
    .where('id', 'in', candidates).where('deleted_at', 'is', null);
  if (opts.onlyServingTags) q = q.where('metadata_tags', '=', 'enabled');
  const bumped = await q.returning('id').execute();
  for (const { id } of bumped) await enqueue({ kind: 'instance', resourceId: id, dueAt: now });
}

export const metadataOptionsActions = ecsHandlers({
  async ModifyInstanceMetadataOptions(ctx, p) {
    if (!p.InstanceId) throw new EcsError('MissingParameter', 'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.');
    const row = await requireInstance(ctx, p.InstanceId);
    const options = metadataOptionsFrom(p, storedMetadataOptions(row));
    return ctx.mutate(async (trx, enqueue) => {
      await trx.updateTable('instances').set({
        metadata_http_endpoint: options.httpEndpoint, metadata_http_tokens: options.httpTokens, metadata_hop_limit: options.hopLimit,
        metadata_tags: options.tags,
      }).where('id', '=', row.id).execute();
      await bumpMetadataGeneration(trx, enqueue, [row.id], ctx.now());
      return {};
    });
  },
});
