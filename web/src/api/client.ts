/**
 * The console's only way to the server: signed RPC calls (V2, POST form body) to the same
 * origin, exactly what any ECS/VPC client sends. ECS actions go out as Version 2014-05-26,
 * VPC actions as 2016-04-28, OpenECS's own actions (src/api/extensions.ts) as 2026-11-01, RAM,
 * ActionTrail and BssOpenApi actions as theirs (VERSIONS) on the same endpoint and signature;
 * failures become `ApiError` carrying the service's Code and Message.
 */
import { nonce, signV2, timestamp } from './sign.js';
import { ACTIONTRAIL_ACTIONS, BSS_ACTIONS, OPENECS_ACTIONS, RAM_ACTIONS, VPC_ACTIONS, type ActionName, type ApiRequest, type ApiResponse } from './types.js';

/**
 * An AccessKey pair, or temporary credentials (a RAM user's password sign-in) with their
 * SecurityToken; `principal` is who they sign as, for display (`alice@corp`).
 */
export interface Credentials { accessKeyId: string; accessKeySecret: string; securityToken?: string; principal?: string }

export const VERSIONS = { ecs: '2014-05-26', vpc: '2016-04-28', openecs: '2026-11-01', ram: '2015-05-01', actiontrail: '2020-07-06', bssopenapi: '2017-12-14' } as const;
export type Product = keyof typeof VERSIONS;

const VPC = new Set<string>(VPC_ACTIONS);
const OPENECS = new Set<string>(OPENECS_ACTIONS);
const RAM = new Set<string>(RAM_ACTIONS);
const ACTIONTRAIL = new Set<string>(ACTIONTRAIL_ACTIONS);
const BSS = new Set<string>(BSS_ACTIONS);

export function productOf(action: string): Product {
  if (OPENECS.has(action)) return 'openecs';
  if (RAM.has(action)) return 'ram';
  if (ACTIONTRAIL.has(action)) return 'actiontrail';
  if (BSS.has(action)) return 'bssopenapi';
  return VPC.has(action) ? 'vpc' : 'ecs';
}

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number, readonly requestId?: string) {
    super(message);
    this.name = 'ApiError';
  }
  get unsupported(): boolean { return this.code === 'UnsupportedOperation' || this.code === 'InvalidAction.NotFound'; }
}

export type ParamValue = string | number | boolean | undefined | null | ParamValue[] | { [k: string]: ParamValue };
export type Params = Record<string, ParamValue>;

/**
 * RPC flattening: lists become `Name.N` (1-based), list items that are objects `Name.N.Field`,
 * plain objects `Name.Field`; empty values are left out so optional fields stay absent.
 */
export function flatten(params: Params, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) flatten(item, `${key}.${i + 1}`, out);
        else flatten({ [String(i + 1)]: item }, key, out);
      });
    } else if (typeof v === 'object') {
      flatten(v, key, out);
    } else {
      out[key] = String(v);
    }
  }
  return out;
}

export class ApiClient {
  constructor(private creds: Credentials, private endpoint = '/') {}

  get accessKeyId(): string { return this.creds.accessKeyId; }
  /** Who the credentials sign as, for display. */
  get principal(): string { return this.creds.principal ?? this.creds.accessKeyId; }

  /** Any action of the spec, its request and answer typed from the generated types (types.ts). */
  async call<A extends ActionName>(action: A, params: ApiRequest<A>): Promise<ApiResponse<A>> {
    return this.raw(action, params as Params) as Promise<ApiResponse<A>>;
  }

  /**
   * For actions the typed table does not list. `product` picks the API for action names both
   * products have (TagResources, ListTagResources: ECS by default, VPC for VPC/VSWITCH tags).
   */
  async raw(action: string, params: Params = {}, product: Product = productOf(action)): Promise<any> {
    const signed: Record<string, string> = {
      ...flatten(params),
      Action: action,
      Version: VERSIONS[product],
      Format: 'JSON',
      AccessKeyId: this.creds.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: nonce(),
      Timestamp: timestamp(),
      ...(this.creds.securityToken ? { SecurityToken: this.creds.securityToken } : {}),
    };
    signed.Signature = await signV2('POST', signed, this.creds.accessKeySecret);
    return post(this.endpoint, signed);
  }
}

/**
 * A RAM user's sign-in with `user@alias` and password: unsigned, as RAM's sign-in page takes it,
 * answered with temporary credentials (SignInWithPassword, src/actions/console-sign-in.ts).
 */
export async function signInWithPassword(params: ApiRequest<'SignInWithPassword'>, endpoint = '/'): Promise<ApiResponse<'SignInWithPassword'>> {
  return post(endpoint, { ...flatten(params as Params), Action: 'SignInWithPassword', Version: VERSIONS.openecs, Format: 'JSON' });
}

async function post(endpoint: string, form: Record<string, string>): Promise<any> {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  } catch (e) {
    throw new ApiError('NetworkError', `The server could not be reached: ${(e as Error).message}`, 0);
  }
  const text = await res.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError('InvalidResponse', `HTTP ${res.status}: the server did not answer JSON.`, res.status);
  }
  // BssOpenApi answers successes with Code too (`Success`), beside Success: true.
  if (!res.ok || (body.Code && body.Success !== true)) {
    throw new ApiError(body.Code ?? `HTTP${res.status}`, body.Message ?? res.statusText, res.status, body.RequestId);
  }
  return body;
}

/** A RAM refusal's action and resource, from Forbidden.RAM's message `… (Action: ecs:StopInstance, Resource: acs:ecs:…)`. */
export function refusalOf(e: unknown): { action: string; resource: string } | undefined {
  if (!(e instanceof ApiError) || e.code !== 'Forbidden.RAM') return undefined;
  const m = /\(Action: ([^,]+), Resource: ([^)]+)\)/.exec(e.message);
  return m ? { action: m[1]!, resource: m[2]! } : { action: 'this action', resource: 'this resource' };
}

export function errorText(e: unknown): string {
  const refused = refusalOf(e);
  if (refused) return `You are not allowed to ${refused.action} on ${refused.resource}. (Forbidden.RAM: the signed-in RAM identity's policies do not allow it.)`;
  if (e instanceof ApiError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
