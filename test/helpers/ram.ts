/**
 * RAM and STS clients for the test server, the official typed SDKs: `@alicloud/ram20150501`
 * and `@alicloud/sts20150401`. Tests name RAM actions and parameters as the API reference does
 * (`call('CreateUser', { UserName })`); `call` builds the SDK's own request class from them
 * (`new CreateUserRequest({ userName })`, list parameters as its item classes) and calls its
 * typed method (`createUser`), so what goes on the wire is what the SDK sends. A name the SDK's
 * request class does not have fails the test. `raw` sends parameters as given, for wire input
 * the SDK would never produce (malformed JSON lists).
 */
import * as $OpenApi from '@alicloud/openapi-core';
import OpenApiCore from '@alicloud/openapi-core';
import Ram, * as $Ram from '@alicloud/ram20150501';
import Sts, * as $Sts from '@alicloud/sts20150401';
import type { Credentials, TestServer } from './server.js';

const OpenApiClient: typeof OpenApiCore.default = (OpenApiCore as any).default ?? OpenApiCore;
const RamSdk: typeof Ram.default = (Ram as any).default ?? Ram;
const StsClient: typeof Sts.default = (Sts as any).default ?? Sts;
export type StsClientT = InstanceType<typeof Sts.default>;
export type RamSdkClient = InstanceType<typeof Ram.default>;
export { $Ram, $Sts };

export interface TempCredentials extends Credentials { securityToken?: string }

export interface RamClient {
  /** Calls a RAM 2015-05-01 action through the typed SDK; answers the body as the API names its fields. */
  call(action: string, params?: Record<string, unknown>): Promise<any>;
  /** The same action with the parameters sent as given (generic OpenAPI call). */
  raw(action: string, params?: Record<string, unknown>): Promise<any>;
  /** The SDK client itself. */
  sdk: RamSdkClient;
}

function config(url: string, c: TempCredentials, v2: boolean) {
  const { host } = new URL(url);
  return new $OpenApi.$OpenApiUtil.Config({
    ...c, endpoint: host, protocol: 'http', regionId: 'cn-hangzhou', ...(v2 ? { signatureAlgorithm: 'v2' } : {}),
  });
}

type ModelClass = { new(map?: Record<string, unknown>): any; names(): Record<string, string>; types(): Record<string, any> };

/** A request model from API-named fields: `{ UserName }` → `new CreateUserRequest({ userName })`. */
function model(Cls: ModelClass, fields: Record<string, unknown>): any {
  const byWire = new Map(Object.entries(Cls.names()).map(([prop, wire]) => [wire, prop]));
  const types = Cls.types();
  const out: Record<string, unknown> = {};
  for (const [wire, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const prop = byWire.get(wire);
    if (!prop) throw new Error(`@alicloud/ram20150501's ${Cls.name} has no field ${wire}`);
    const t = types[prop];
    if (t && typeof t === 'object' && t.type === 'array') {
      const items = typeof value === 'string' ? JSON.parse(value) : value;
      out[prop] = (items as unknown[]).map((x) => (typeof t.itemType === 'function' ? model(t.itemType, x as Record<string, unknown>) : x));
    } else if (typeof t === 'function') {
      out[prop] = model(t, value as Record<string, unknown>);
    } else out[prop] = value;
  }
  return new Cls(out);
}

export function ramClient(url: string, c: TempCredentials, opts: { v2?: boolean } = {}): RamClient {
  const cfg = config(url, c, opts.v2 ?? false);
  const sdk = new RamSdk(cfg);
  const generic = new OpenApiClient(cfg);
  return {
    sdk,
    async call(action, params = {}) {
      const method = (sdk as any)[action[0]!.toLowerCase() + action.slice(1)];
      if (typeof method !== 'function') throw new Error(`@alicloud/ram20150501 has no method for ${action}`);
      const Request = ($Ram as any)[`${action}Request`] as ModelClass | undefined;
      if (!Request && Object.keys(params).length > 0) throw new Error(`@alicloud/ram20150501's ${action} takes no request`);
      const r = await method.call(sdk, ...(Request ? [model(Request, params)] : []));
      return r.body.toMap();
    },
    async raw(action, params = {}) {
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(params)) if (v !== undefined) query[k] = String(v);
      const req = new $OpenApi.$OpenApiUtil.OpenApiRequest({ query: $OpenApi.OpenApiUtil.query(query) });
      const p = new $OpenApi.$OpenApiUtil.Params({
        action, version: '2015-05-01', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
      });
      const r = await generic.callApi(p, req, {} as any);
      return r.body;
    },
  };
}

export function stsClient(url: string, c: TempCredentials, opts: { v2?: boolean } = {}): StsClientT {
  return new StsClient(config(url, c, opts.v2 ?? false));
}

/** Root's RAM and STS clients on a test server. */
export function rootClients(s: TestServer, c: Credentials) {
  return { ram: ramClient(s.url, c), sts: stsClient(s.url, c) };
}

/** The console's RAM-user sign-in (`SignInWithPassword`), sent unsigned as the console's form sends it; the answer's body. */
export async function signInWithPassword(url: string, params: Record<string, unknown>): Promise<any> {
  const client = new OpenApiClient(new $OpenApi.$OpenApiUtil.Config({ endpoint: new URL(url).host, protocol: 'http', regionId: 'cn-hangzhou' }));
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) query[k] = String(v);
  const r = await client.callApi(new $OpenApi.$OpenApiUtil.Params({
    action: 'SignInWithPassword', version: '2026-11-01', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'Anonymous', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  }), new $OpenApi.$OpenApiUtil.OpenApiRequest({ query: $OpenApi.OpenApiUtil.query(query) }), {} as any);
  return r.body;
}
