/**
 * One RPC request from wire to response: route by Action/Version (or the V3 headers),
 * authenticate, validate against the generated spec, replay or record ClientToken answers,
 * run the handler, render JSON or XML. Every failure becomes an ECS error body.
 */
import { createHash } from 'node:crypto';
import { auditAnswer } from './shape-check.js';
import { answerStatus } from './errors.js';
import { EcsError, errors } from '../domain/errors.js';
import { refuseUnacted, watchReads } from './acted.js';
import { COMMON_PARAMS, decodeParams } from './params.js';
import { renderBody, type Format } from './render.js';
import { ReadCache, REQUEST_ID_PLACEHOLDER } from './read-cache.js';
import { storeVersion } from '../store/db.js';
import { actionSpec, productForVersion, type Product } from './spec.js';
import type { Authenticator, SignedRequest } from './authenticate.js';
import type { ActionSpec } from './spec-types.js';
import { makeContext } from '../actions/context.js';
import type { HandlerMap, Services } from '../actions/types.js';
import { newRequestId } from '../domain/ids.js';
import { isKnownRegion } from '../domain/catalog/regions.js';
import { AccessDeniedError, authorize } from '../auth/policy-enforcer.js';
import type { Principal } from '../auth/accounts.js';
import { beginAuditedCall, type AuditedCall } from '../audit/call.js';
import { auditRecorder } from '../audit/recorder.js';
import { faultHeaders, injectApiFault } from '../faults/api-faults.js';
import { RateLimiter, throttleHeaders, UserThrottled } from './rate-limit.js';
import { conflictAnswer } from '../store/conflicts.js';
import { noteKeyUse } from '../auth/key-usage.js';

export interface RpcResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** A signed request and what its connection says: the peer's address and whether it came over TLS (RAM's acs:SourceIp, acs:SecureTransport). */
export interface RpcRequest extends SignedRequest {
  sourceIp?: string;
  secure?: boolean;
}

export interface Dispatcher {
  handle(req: RpcRequest): Promise<RpcResponse>;
  /** Writes what is still buffered (the audit trail) before the store closes. */
  close?(): Promise<void>;
}

const HOSTS: Record<Product, string> = { ecs: 'ecs.aliyuncs.com', vpc: 'vpc.aliyuncs.com', sts: 'sts.aliyuncs.com', ram: 'ram.aliyuncs.com', bssopenapi: 'business.aliyuncs.com', resourcemanager: 'resourcemanager.aliyuncs.com', actiontrail: 'actiontrail.aliyuncs.com', cms: 'metrics.aliyuncs.com', openecs: 'openecs.local' };
const PRODUCT_NAMES: Record<Product, string> = { ecs: 'Ecs', vpc: 'Vpc', sts: 'Sts', ram: 'Ram', bssopenapi: 'BssOpenApi', resourcemanager: 'ResourceManager', actiontrail: 'Actiontrail', cms: 'Cms', openecs: 'OpenECS' };

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v ? v : undefined;
}

function formatOf(req: SignedRequest): Format {
  const f = req.params.Format;
  if (f) return f.toUpperCase() === 'XML' ? 'XML' : 'JSON';
  // V3 requests answer JSON; V2 requests without Format answer XML, as documented.
  return header(req, 'authorization')?.startsWith('ACS3-') || req.headers.accept?.includes('json') ? 'JSON' : 'XML';
}

export function paramsHash(params: Record<string, string>): string {
  const relevant = Object.entries(params).filter(([k]) => !COMMON_PARAMS.has(k) && k !== 'ClientToken' && k !== 'DryRun').sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

/**
 * Reads whose answer is a function of the store, the caller and the parameters alone (no clock,
 * no driver): served from the read cache until the store changes.
 */
/**
 * Actions answered without a signature: a RAM user's password sign-in, whose password is the
 * credential (as RAM's sign-in page takes one). Their handlers must not rely on the caller.
 */
const ANONYMOUS_ACTIONS = new Set(['openecs:SignInWithPassword']);
const ANONYMOUS: Principal = { accountId: '', accountName: '', isAdmin: false, accessKeyId: '', type: 'user' };

const CACHEABLE_READS = new Set(['ecs:DescribeInstances', 'ecs:DescribeInstanceStatus']);

export function createDispatcher(services: Services, auth: Authenticator, handlers: Record<Product, HandlerMap>): Dispatcher {
  const cache = new ReadCache(services.config.readCacheBytes);
  const limiter = services.config.rateLimit ? new RateLimiter(services.config.rateLimit) : undefined;
  return {
    async handle(req) {
      const requestId = newRequestId();
      // The audit trail (src/audit/): every answer, refused ones included, becomes one event.
      const call = beginAuditedCall(services, req, requestId);
      const res = await answerCall(req, requestId, call);
      call.end(res);
      return res;
    },
    close: () => auditRecorder(services.db).close(),
  };

  async function answerCall(req: RpcRequest, requestId: string, call: AuditedCall): Promise<RpcResponse> {
    const format = formatOf(req);
    let product: Product = 'ecs';
    let action = '';
    let spec: ActionSpec | undefined;
    const respond = (status: number, body: Record<string, unknown>, root: string): RpcResponse => {
      const r = renderBody(format, root, body);
      return { status, headers: { 'content-type': r.type, 'x-acs-request-id': requestId }, body: r.text };
    };
    try {
      action = req.params.Action ?? header(req, 'x-acs-action') ?? '';
      const version = req.params.Version ?? header(req, 'x-acs-version') ?? '';
      if (!action) throw new EcsError('MissingParameter', 'The input parameter "Action" that is mandatory for processing this request is not supplied.', 400);
      if (!version) throw new EcsError('MissingParameter', 'The input parameter "Version" that is mandatory for processing this request is not supplied.', 400);
      const p = productForVersion(version);
      if (!p) throw new EcsError('InvalidVersion', `Specified parameter Version "${version}" is not valid.`, 400);
      product = p;
      Object.assign(call, { action, version, serviceName: PRODUCT_NAMES[product], host: HOSTS[product] });
      spec = actionSpec(product, action);
      if (!spec) throw new EcsError('InvalidAction.NotFound', `Specified api "${action}" is not found, please check your url and method.`, 404);
      // RPC is GET and POST only; a few actions are POST-only (api-protocol.md §1.1).
      if (!(spec.m ?? ['GET', 'POST']).includes(req.method)) throw new EcsError('UnsupportedHTTPMethod', `This action does not support the HTTP method ${req.method}.`, 403);

      const principal = ANONYMOUS_ACTIONS.has(`${product}:${action}`) ? ANONYMOUS : await auth.authenticate(req);
      call.principal = principal;
      // GetAccessKeyLastUsed: the key signed a call (written at most once a minute per key).
      if (principal.accessKeyId) await noteKeyUse(services.db, principal.accessKeyId, HOSTS[product], services.clock.now());
      // Only once the signature holds: unsigned or forged calls cannot spend someone's allowance.
      if (limiter && principal.accessKeyId) {
        const admitted = limiter.take(principal.accessKeyId);
        if (!admitted.ok) throw new UserThrottled(admitted.retryAfterMs);
      }
      const handler = handlers[product][action];
      if (!handler) {
        throw new EcsError('UnsupportedOperation', `OpenECS does not implement the ${PRODUCT_NAMES[product]} action ${action} (${version}) yet.`, 400);
      }
      const params = decodeParams(spec, req.params);
      const regionId: string = params.RegionId ?? params.regionId ?? '';
      if (regionId && !isKnownRegion(regionId)) {
        const code = spec.e['InvalidRegionId.NotFound'] ? 'InvalidRegionId.NotFound' : spec.e['InvalidRegionId.Malformed'] ? 'InvalidRegionId.Malformed' : 'InvalidRegionId.NotFound';
        throw new EcsError(code, `The specified RegionId "${regionId}" does not exist.`);
      }
      refuseUnacted(product, action, spec, params);
      // RAM: a RAM user's or role's policies decide before anything is replayed, read or written.
      const access = await authorize(services.db, {
        principal, product, action, regionId, params, facts: { sourceIp: req.sourceIp, secure: req.secure, now: services.clock.now() },
      });
      // Fault injection (src/faults/): an injected error is answered before anything is replayed, read or written.
      await injectApiFault(services.db, { product, action, accountId: principal.accountId, spec });
      const dryRun = params.DryRun === true;

      let idempotency: { clientToken: string; paramsHash: string } | undefined;
      const token = typeof params.ClientToken === 'string' ? params.ClientToken : undefined;
      if (token && !dryRun) {
        idempotency = { clientToken: token, paramsHash: paramsHash(req.params) };
        const replay = await findIdempotent(services, principal.accountId, product, action, idempotency);
        if (replay) return respond(200, { RequestId: requestId, ...replay }, `${action}Response`);
      }
      const cacheKey = cache.enabled && !dryRun && access.cacheable && CACHEABLE_READS.has(`${product}:${action}`)
        ? `${product}:${action}:${principal.accessKeyId}:${format}:${paramsHash(req.params)}` : undefined;
      const readVersion = cacheKey ? storeVersion(services.db) : '';
      if (cacheKey) {
        const hit = cache.get(cacheKey, readVersion, requestId);
        if (hit) return { status: 200, headers: { 'content-type': hit.type, 'x-acs-request-id': requestId }, body: hit.body };
      }
      const ctx = makeContext(services, { requestId, product, action, principal, regionId, dryRun, sourceIp: req.sourceIp }, idempotency);
      let body: Record<string, unknown>;
      try {
        body = await handler(ctx, watchReads(product, action, spec, params));
        // A dry run that passed the handler's checks without reaching a write (every Describe).
        if (dryRun) throw errors.dryRun();
      } catch (e) {
        // Two concurrent requests with one ClientToken: the loser's transaction fails on the key.
        if (idempotency && /UNIQUE|duplicate key/i.test(String(e)) && /idempotency/i.test(String(e))) {
          const replay = await findIdempotent(services, principal.accountId, product, action, idempotency);
          if (replay) return respond(200, { RequestId: requestId, ...replay }, `${action}Response`);
        }
        throw e;
      }
      if (access.filter) await access.filter(body);
      call.answer = body;
      auditAnswer(product, action, spec.r, body);
      if (cacheKey && storeVersion(services.db) === readVersion) {
        const r = renderBody(format, `${action}Response`, { RequestId: REQUEST_ID_PLACEHOLDER, ...body });
        cache.put(cacheKey, readVersion, r.type, r.text);
        return { status: 200, headers: { 'content-type': r.type, 'x-acs-request-id': requestId }, body: r.text.replace(REQUEST_ID_PLACEHOLDER, requestId) };
      }
      return respond(200, { RequestId: requestId, ...body }, `${action}Response`);
    } catch (e) {
      let err: EcsError;
      // A store conflict with a concurrent request (a unique index, a serialization failure, a
      // deadlock) is the caller's to retry, never an InternalError (store/conflicts.ts).
      const conflict = e instanceof EcsError ? undefined : conflictAnswer(e, (code) => product === 'openecs' || spec?.e[code] !== undefined);
      if (e instanceof EcsError) err = e;
      else if (conflict) err = conflict;
      else {
        console.error(`[openecs] ${requestId} ${action} internal error:`, e);
        err = new EcsError('InternalError', 'The request processing has failed due to some unknown error.', 500);
      }
      call.error = { code: err.code, message: err.message || spec?.e[err.code]?.[1] || err.code };
      const known = spec?.e[err.code];
      const status = answerStatus(err, known?.[0]);
      const answer = respond(status, {
        RequestId: requestId,
        HostId: HOSTS[product],
        Code: err.code,
        Message: err.message || known?.[1] || err.code,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=${PRODUCT_NAMES[product]}&requestId=${requestId}`,
        ...(err instanceof AccessDeniedError ? { AccessDeniedDetail: err.detail } : {}),
      }, 'Error');
      Object.assign(answer.headers, faultHeaders(e), throttleHeaders(e));
      return answer;
    }
  }
}

async function findIdempotent(services: Services, accountId: string, product: Product, action: string, idem: { clientToken: string; paramsHash: string }) {
  const row = await services.db.selectFrom('idempotency').selectAll()
    .where('account_id', '=', accountId).where('action', '=', `${product}:${action}`).where('client_token', '=', idem.clientToken)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.params_hash !== idem.paramsHash) {
    throw new EcsError('IdempotentParameterMismatch', 'The specified parameter has changed while using an already used clientToken.', 403);
  }
  const { RequestId: _ignored, ...body } = JSON.parse(row.response);
  return body as Record<string, unknown>;
}
