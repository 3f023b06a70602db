/** Metadata access options: defaults, partial changes and the API metadata's errors (table). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_METADATA_OPTIONS, metadataOptionsFrom, storedMetadataOptions, type MetadataOptions } from '../../src/domain/instances/metadata-options.js';

test('metadataOptionsFrom (table)', () => {
  const hardened: MetadataOptions = { httpEndpoint: 'enabled', httpTokens: 'required', hopLimit: 3, tags: 'disabled' };
  const cases: [Record<string, unknown>, MetadataOptions, MetadataOptions | string][] = [
    [{}, DEFAULT_METADATA_OPTIONS, DEFAULT_METADATA_OPTIONS],
    [{ HttpTokens: 'required' }, DEFAULT_METADATA_OPTIONS, { ...DEFAULT_METADATA_OPTIONS, httpTokens: 'required' }],
    [{ HttpEndpoint: 'disabled' }, hardened, { ...hardened, httpEndpoint: 'disabled' }],
    [{ HttpPutResponseHopLimit: 64 }, hardened, { ...hardened, hopLimit: 64 }],
    [{ InstanceMetadataTags: 'enabled' }, hardened, { ...hardened, tags: 'enabled' }],
    [{ HttpEndpoint: 'on' }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpEndpoint.NotSupported'],
    [{ HttpTokens: '' }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpTokens.NotSupported'],
    [{ HttpPutResponseHopLimit: 0 }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpPutResponseHopLimit.NotSupported'],
    [{ HttpPutResponseHopLimit: 65 }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpPutResponseHopLimit.NotSupported'],
    [{ HttpPutResponseHopLimit: 1.5 }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpPutResponseHopLimit.NotSupported'],
    [{ InstanceMetadataTags: 'yes' }, DEFAULT_METADATA_OPTIONS, 'InvalidInstanceMetadataTags.NotSupported'],
  ];
  for (const [params, base, want] of cases) {
    if (typeof want === 'string') assert.throws(() => metadataOptionsFrom(params, base), (e: any) => e.code === want, JSON.stringify(params));
    else assert.deepEqual(metadataOptionsFrom(params, base), want, JSON.stringify(params));
  }
  assert.deepEqual(storedMetadataOptions({ metadata_http_endpoint: 'disabled', metadata_http_tokens: 'required', metadata_hop_limit: 2, metadata_tags: 'enabled' }),
    { httpEndpoint: 'disabled', httpTokens: 'required', hopLimit: 2, tags: 'enabled' });
});
