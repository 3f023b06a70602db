/**
 * Terraform's alicloud provider (v1.289.0) on the wire, written from terraform-calls.md §0.3
 * without the server's code: tea-rpc `DoRequest` (POST, common params in the query, the action's
 * params form-encoded in the body, no RegionId unless given), the old Go SDK's typed requests
 * (POST with every param in the query, RegionId added, empty body) and its CommonRequest (GET).
 * All three sign with signature version 1.0 (HMAC-SHA1). Answers are read as the provider reads
 * them: a Doc with number literals kept, and errors classified as tea / the SDK classify them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { formEncode, pct, send, v2Signature, type RawResponse } from '../helpers/raw.js';
import { AK, SECRET, type TestServer } from '../helpers/server.js';
import { Doc, parseJson, type JsonValue } from './json.js';

export const REGION = 'cn-hangzhou';
export const VERSIONS = { Ecs: '2014-05-26', Vpc: '2016-04-28', BssOpenApi: '2017-12-14', Sts: '2015-04-01', ResourceManager: '2020-03-31', Ram: '2015-05-01' } as const;
export type ProductName = keyof typeof VERSIONS;
export type Wire = 'rpc' | 'sdk' | 'common';

/** A value of a tea-rpc body map: scalars via `%v`, lists as `K.1…`, maps as `K.Sub`. */
export type BodyValue = string | number | boolean | undefined | BodyValue[] | { [k: string]: BodyValue };

/** `rpcutil.Query`: flattens the provider's request map as tea-rpc does. */
export function flatten(map: Record<string, BodyValue>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(map)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === undefined) continue;
    if (Array.isArray(v)) v.forEach((item, n) => flatten({ [String(n + 1)]: item }, key, out));
    else if (typeof v === 'object') flatten(v, key, out);
    else out[key] = String(v);
  }
  return out;
}

/** `2006-01-02T15:04:05Z`, as tea (`openapiutil.GetTimestamp`) and the old SDK format it. */
export function goTimestamp(ms = Date.now()): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function sign(method: string, params: Record<string, string>, secret: string): string {
  const canon = Object.keys(params).sort().map((k) => `${pct(k)}=${pct(params[k]!)}`).join('&');
  return v2Signature(`${method}&${pct('/')}&${pct(canon)}`, secret);
}

export interface Call {
  wire: Wire;
  product: ProductName;
  action: string;
  params: Record<string, string>;
}

export class ProviderResponse {
  readonly doc: Doc | undefined;
  constructor(readonly call: Call, readonly raw: RawResponse) {
    let doc: Doc | undefined;
    try { doc = new Doc(parseJson(raw.text), `${call.action}`); } catch { doc = undefined; }
    this.doc = doc;
  }

  get status(): number { return this.raw.status; }
  get code(): string { return this.doc && this.doc.has('Code') ? String(this.doc.plain('Code')) : ''; }
  get message(): string { return this.doc && this.doc.has('Message') ? String(this.doc.plain('Message')) : ''; }

  /**
   * tea-rpc turns 4xx/5xx into an SDKError, and so does the provider's check of a 200 body with a
   * top-level Code (other than Success/OK/200/0) or `Success: false`.
   */
  get isError(): boolean {
    if (this.status >= 400) return true;
    if (!this.doc) return true;
    const root = this.doc.root;
    if (root && typeof root === 'object' && !Array.isArray(root)) {
      const r = root as Record<string, JsonValue>;
      if (r.Success === false) return true;
      if (Object.hasOwn(r, 'Code') && !['Success', 'OK', '200', '0'].includes(String(r.Code))) return true;
    }
    return false;
  }

  /** tea's `NotFoundError`: HTTP 404 or a message naming NotFound; the SDK's adds its codes. */
  get isNotFound(): boolean {
    if (!this.isError) return false;
    if (this.status === 404 || /NotFound/.test(this.message)) return true;
    return this.call.wire !== 'rpc' && (['Instance.Notfound', 'Forbidden.InstanceNotFound', 'NotFound'].includes(this.code) || /instance is not found/.test(this.message));
  }

  /** `IsExpectedErrors`: the exact code, a code the answer's is a prefix of, or text in the body. */
  isExpected(codes: string[]): boolean {
    return this.isError && codes.some((c) => c === this.code || (this.code !== '' && c.startsWith(this.code)) || this.raw.text.includes(c));
  }

  describe(): string {
    return `${this.call.wire} ${this.call.product} ${this.call.action} ${JSON.stringify(this.call.params)} → ${this.status} ${this.raw.text.slice(0, 600)}`;
  }
}

export class ProviderClient {
  /** Every call sent, in order: the tests compare it with the map's sequence. */
  readonly log: Call[] = [];

  /** The CA of the server's HTTPS identity: CommonRequest calls go over HTTPS whatever `protocol` says. */
  ca?: string;

  constructor(readonly baseUrl: string, readonly region = REGION, readonly accessKeyId = AK, readonly secret = SECRET) {}

  static for(s: TestServer, region = REGION): ProviderClient {
    const c = new ProviderClient(s.url, region);
    c.ca = (s.app as { tls?: { ca: string } }).tls?.ca;
    return c;
  }

  /** tea-rpc `DoRequest`: `client.RpcPost(product, version, action, query, body, autoRetry)`. */
  async rpc(product: ProductName, action: string, body: Record<string, BodyValue>, query: Record<string, BodyValue> = {}): Promise<ProviderResponse> {
    const common: Record<string, string> = {
      Action: action,
      Format: 'json',
      Version: VERSIONS[product],
      Timestamp: goTimestamp(),
      SignatureNonce: randomUUID(),
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      AccessKeyId: this.accessKeyId,
      ...flatten(query),
    };
    const form = flatten(body);
    const signature = sign('POST', { ...common, ...form }, this.secret);
    const raw = await send(this.baseUrl, {
      method: 'POST',
      path: '/?' + formEncode({ ...common, Signature: signature }),
      headers: {
        'x-acs-action': action,
        'x-acs-version': VERSIONS[product],
        'user-agent': 'AlibabaCloud (linux; amd64) Go/1.24 Core/0.01 TeaDSL/1 Terraform/1.9.0 Provider/1.289.0',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: formEncode(form),
    });
    return this.record({ wire: 'rpc', product, action, params: { ...flatten(query), ...form } }, raw);
  }

  /** The old typed SDK's common parameters around `params` (RegionId added when unset), unsigned. */
  private oldSdkParams(product: ProductName, action: string, params: Record<string, BodyValue>): { api: Record<string, string>; all: Record<string, string> } {
    const api = flatten(params);
    if (api.RegionId === undefined) api.RegionId = this.region;
    const all: Record<string, string> = {
      Format: 'JSON',
      Version: VERSIONS[product],
      Action: action,
      Timestamp: goTimestamp(),
      SignatureMethod: 'HMAC-SHA1',
      SignatureType: '',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      AccessKeyId: this.accessKeyId,
      ...api,
    };
    return { api, all };
  }

  /** The old typed SDK: POST `/?<every param>` with an empty body; RegionId added when unset. */
  async sdk(action: string, params: Record<string, BodyValue>, product: ProductName = 'Ecs'): Promise<ProviderResponse> {
    const { api, all } = this.oldSdkParams(product, action, params);
    all.Signature = sign('POST', all, this.secret);
    const raw = await send(this.baseUrl, {
      method: 'POST',
      path: '/?' + formEncode(all),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-sdk-client': 'golang/1.0.0', 'x-sdk-invoke-type': 'normal' },
      body: '',
    });
    return this.record({ wire: 'sdk', product, action, params: api }, raw);
  }

  /** CommonRequest (security group rule modify/revoke): GET `/?<params>`, Version 2014-05-26. */
  async common(action: string, params: Record<string, BodyValue>): Promise<ProviderResponse> {
    const { api, all } = this.oldSdkParams('Ecs', action, params);
    all.Signature = sign('GET', all, this.secret);
    // buildAliyunSGRuleRequest forces the scheme to HTTPS.
    const base = this.ca ? this.baseUrl.replace(/^http:/, 'https:') : this.baseUrl;
    const raw = await send(base, { method: 'GET', path: '/?' + formEncode(all), ca: this.ca });
    return this.record({ wire: 'common', product: 'Ecs', action, params: api }, raw);
  }

  private record(call: Call, raw: RawResponse): ProviderResponse {
    this.log.push(call);
    return new ProviderResponse(call, raw);
  }
}

/**
 * The answer must be a success as the provider sees it: 2xx, JSON, no top-level error Code or
 * `Success:false`. Returns the body as a Doc.
 */
export function ok(r: ProviderResponse): Doc {
  assert.ok(!r.isError, `expected success: ${r.describe()}`);
  const root = r.doc!.root as Record<string, JsonValue>;
  // Only BssOpenApi answers with a Code on success ("Success"); anywhere else it is a trap (§21.9).
  if (r.call.product !== 'BssOpenApi') assert.ok(!Object.hasOwn(root, 'Code'), `a success body with a top-level Code: ${r.describe()}`);
  assert.notEqual(root.Success, false, r.describe());
  return r.doc!;
}

/**
 * The answer must be an error the provider can classify: a non-empty specific Code (an empty one
 * matches every expected-error list), never 5xx (retried until the timeout).
 */
export function fails(r: ProviderResponse, code?: string | RegExp): ProviderResponse {
  assert.ok(r.isError, `expected an error: ${r.describe()}`);
  assert.ok(r.status < 500, `5xx is retried until timeout: ${r.describe()}`);
  assert.ok(r.code !== '', `an error needs a non-empty Code: ${r.describe()}`);
  if (typeof code === 'string') assert.equal(r.code, code, r.describe());
  else if (code) assert.match(r.code, code, r.describe());
  return r;
}

/** What a refresh func returns: the object's state, or nothing when it is gone (not found). */
export type Refreshed = { found: false } | { found: true; state: string };

export interface StateConf {
  pending: string[];
  target: string[];
  /** The refresh func's fail states: reaching one fails the wait at once. */
  failStates?: string[];
  delayMs?: number;
  timeoutMs: number;
  refresh: () => Promise<Refreshed>;
}

/**
 * plugin-sdk v1 `StateChangeConf.WaitForState` with `MinTimeout: 3s` (BuildStateConf), on the
 * test server's manual clock: the engine moves as the provider would sleep. Target `[]` means
 * "until not found"; an unexpected state with a non-empty Pending fails; 20 not-found polls fail.
 * Returns the states seen.
 */
export async function waitFor(s: TestServer, conf: StateConf): Promise<string[]> {
  const seen: string[] = [];
  let elapsed = 0;
  if (conf.delayMs) { await s.advance(conf.delayMs); elapsed += conf.delayMs; }
  let notFound = 0;
  let wait = 100;
  for (;;) {
    const r = await conf.refresh();
    if (!r.found) {
      seen.push('<gone>');
      if (conf.target.length === 0) return seen;
      notFound++;
      assert.ok(notFound <= 20, `couldn't find resource (21 retries); states ${seen.join(' → ')}`);
    } else {
      seen.push(r.state);
      assert.ok(!(conf.failStates ?? []).includes(r.state), `reached fail state ${r.state}; states ${seen.join(' → ')}`);
      if (conf.target.includes(r.state)) return seen;
      if (conf.pending.length > 0) {
        assert.ok(conf.pending.includes(r.state), `unexpected state '${r.state}', wanted target '${conf.target.join(', ')}'; states ${seen.join(' → ')}`);
      }
    }
    wait = Math.min(Math.max(wait * 2, 3000), 10_000);
    assert.ok(elapsed + wait <= conf.timeoutMs, `timeout while waiting for ${conf.target.join(',') || 'deletion'}; states ${seen.join(' → ')}`);
    await s.advance(wait);
    elapsed += wait;
  }
}

/** A refresh func over a describe call: not-found answers and empty lists count as gone. */
export function refreshFrom(fetch: () => Promise<ProviderResponse>, read: (d: Doc) => { found: boolean; state?: string }): () => Promise<Refreshed> {
  return async () => {
    const r = await fetch();
    if (r.isError) {
      if (r.isNotFound) return { found: false };
      throw new assert.AssertionError({ message: `refresh failed: ${r.describe()}` });
    }
    const got = read(r.doc!);
    return got.found ? { found: true, state: got.state ?? '' } : { found: false };
  };
}

/** `convertListToJsonString`: `["a","b"]`. */
export function jsonList(ids: string[]): string { return JSON.stringify(ids); }
