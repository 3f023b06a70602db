/** Metadata access options: defaults, partial changes and the API metadata's errors (table). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_METADATA_OPTIONS, metadataOptionsFrom, storedMetadataOptions } from '../../src/domain/instances/metadata-options.js';

test('metadataOptionsFrom (table)', () => {
  const hardened = { httpEndpoint: 'enabled', httpTokens: 'required', hopLimit: 3 } as const;
  const cases: [Record<string, unknown>, typeof hardened | typeof DEFAULT_METADATA_OPTIONS, unknown][] = [
    [{}, DEFAULT_METADATA_OPTIONS, DEFAULT_METADATA_OPTIONS],
    [{ HttpTokens: 'required' }, DEFAULT_METADATA_OPTIONS, { httpEndpoint: 'enabled', httpTokens: 'required', hopLimit: 1 }],
    [{ HttpEndpoint: 'disabled' }, hardened, { httpEndpoint: 'disabled', httpTokens: 'required', hopLimit: 3 }],
    [{ HttpPutResponseHopLimit: 64 }, hardened, { ...hardened, hopLimit: 64 }],
    [{ HttpEndpoint: 'on' }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpEndpoint.NotSupported'],
    [{ HttpTokens: '' }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpTokens.NotSupported'],
    [{ HttpPutResponseHopLimit: 0 }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpPutResponseHopLimit.NotSupported'],
    [{ HttpPutResponseHopLimit: 65 }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpPutResponseHopLimit.NotSupported'],
    [{ HttpPutResponseHopLimit: 1.5 }, DEFAULT_METADATA_OPTIONS, 'InvalidHttpPutResponseHopLimit.NotSupported'],
  ];
  for (const [params, base, want] of cases) {
    if (typeof want === 'string') assert.throws(() => metadataOptionsFrom(params, base), (e: any) => e.code === want, JSON.stringify(params));
    else assert.deepEqual(metadataOptionsFrom(params, base), want, JSON.stringify(params));
  }
  assert.deepEqual(storedMetadataOptions({ metadata_http_endpoint: 'disabled', metadata_http_tokens: 'required', metadata_hop_limit: 2 }),
    { httpEndpoint: 'disabled', httpTokens: 'required', hopLimit: 2 });
});
