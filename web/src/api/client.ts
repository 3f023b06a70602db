/**
 * The console's only way to the server: signed RPC calls (V2, POST form body) to the same
 * origin, exactly what any ECS/VPC client sends. ECS actions go out as Version 2014-05-26,
 * VPC actions as 2016-04-28, OpenECS's own actions (src/api/extensions.ts) as 2026-11-01 on the
 * same endpoint and signature; failures become `ApiError` carrying the service's Code and Message.
 */
import { nonce, signV2, timestamp } from './sign.js';
import type { ActionName, Actions } from './types.js';

export interface Credentials { accessKeyId: string; accessKeySecret: string }

export const VERSIONS = { ecs: '2014-05-26', vpc: '2016-04-28', openecs: '2026-11-01' } as const;
export type Product = keyof typeof VERSIONS;

const VPC_ACTIONS = new Set<string>([
  'CreateVpc', 'DescribeVpcs', 'DeleteVpc', 'ModifyVpcAttribute',
  'CreateVSwitch', 'DescribeVSwitches', 'DeleteVSwitch', 'ModifyVSwitchAttribute',
]);

/** The OpenECS extension actions the console calls (product `openecs`). */
const OPENECS_ACTIONS = new Set<string>([
  'CloneSecurityGroup', 'ExportSecurityGroupRules', 'ImportSecurityGroupRules', 'RestoreSecurityGroupRules',
  'ExplainSecurityGroupAccess', 'PutObject', 'GetObject', 'ListObjects',
]);

export function productOf(action: string): Product {
  if (OPENECS_ACTIONS.has(action)) return 'openecs';
  return VPC_ACTIONS.has(action) ? 'vpc' : 'ecs';
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

  async call<A extends ActionName>(action: A, params: Actions[A][0]): Promise<Actions[A][1]> {
    return this.raw(action, params as Params) as Promise<Actions[A][1]>;
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
    };
    signed.Signature = await signV2('POST', signed, this.creds.accessKeySecret);
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(signed).toString(),
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
    if (!res.ok || body.Code) {
      throw new ApiError(body.Code ?? `HTTP${res.status}`, body.Message ?? res.statusText, res.status, body.RequestId);
    }
    return body;
  }
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
