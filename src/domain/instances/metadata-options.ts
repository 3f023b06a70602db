/**
 * Instance metadata access options (RunInstances / ModifyInstanceMetadataOptions): the metadata
 * service on or off (`HttpEndpoint`), and whether it answers only requests that carry a token
 * (`HttpTokens=required`, ECS's security hardening mode), and whether it serves the instance's
 * tags (`InstanceMetadataTags`). Errors are the API metadata's.
 */
import { EcsError } from '../errors.js';

export interface MetadataOptions {
  httpEndpoint: 'enabled' | 'disabled';
  httpTokens: 'optional' | 'required';
  hopLimit: number;
  /** InstanceMetadataTags: the instance's tags under meta-data/tags/instance/. */
  tags: 'enabled' | 'disabled';
}

export const DEFAULT_METADATA_OPTIONS: MetadataOptions = { httpEndpoint: 'enabled', httpTokens: 'optional', hopLimit: 1, tags: 'disabled' };

/** The options after applying the given parameters (absent ones keep `base`), or the ECS error. */
export function metadataOptionsFrom(
  p: { HttpEndpoint?: string; HttpTokens?: string; HttpPutResponseHopLimit?: number; InstanceMetadataTags?: string },
  base: MetadataOptions = DEFAULT_METADATA_OPTIONS,
): MetadataOptions {
  const endpoint = p.HttpEndpoint ?? base.httpEndpoint;
  if (endpoint !== 'enabled' && endpoint !== 'disabled') {
    throw new EcsError('InvalidHttpEndpoint.NotSupported', 'The specified HttpEndpoint not supported, you can use enabled(default) or disabled.');
  }
  const tokens = p.HttpTokens ?? base.httpTokens;
  if (tokens !== 'optional' && tokens !== 'required') {
    throw new EcsError('InvalidHttpTokens.NotSupported', 'The specified HttpTokens not supported, you can use optional(default) or required.');
  }
  const hop = p.HttpPutResponseHopLimit ?? base.hopLimit;
  if (!Number.isInteger(hop) || hop < 1 || hop > 64) {
    throw new EcsError('InvalidHttpPutResponseHopLimit.NotSupported', 'The specified HttpPutResponseHopLimit not supported, more than 1 and less than 64 is reasonable.');
  }
  const tags = p.InstanceMetadataTags ?? base.tags;
  if (tags !== 'enabled' && tags !== 'disabled') throw new EcsError('InvalidInstanceMetadataTags.NotSupported', 'The specified InstanceMetadataTags not supported.');
  return { httpEndpoint: endpoint, httpTokens: tokens, hopLimit: hop, tags };
}

/** The options as stored on an instance row. */
export function storedMetadataOptions(r: { metadata_http_endpoint: string; metadata_http_tokens: string; metadata_hop_limit: number; metadata_tags: string }): MetadataOptions {
  return {
    httpEndpoint: r.metadata_http_endpoint === 'disabled' ? 'disabled' : 'enabled',
    httpTokens: r.metadata_http_tokens === 'required' ? 'required' : 'optional',
    hopLimit: r.metadata_hop_limit,
    tags: r.metadata_tags === 'enabled' ? 'enabled' : 'disabled',
  };
}
