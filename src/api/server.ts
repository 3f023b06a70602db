/** The HTTP server: one RPC route at `/` for GET and POST, raw bodies kept for V3 signatures. */
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer, type RequestListener } from 'node:http';
import type { Dispatcher, RpcRequest } from './dispatch.js';
import { registerConsole } from './console.js';
import { createDualProtocolServer } from './dual-protocol.js';
import type { TlsIdentity } from './tls-cert.js';
import { answerClientError, gatewayErrorBody } from './gateway-errors.js';
import { redactUrl } from '../audit/redact.js';
import { configFromEnv, type HttpLimits } from '../config.js';
import { capConnectionsPerIp, serverOptions } from './connection-limits.js';
import { requestParams } from './request-params.js';

/**
 * With `tls`, the same port answers HTTPS too (see dual-protocol.ts). `limits` (size limits and
 * timeouts, see connection-limits.ts): the settings' defaults unless given.
 */
export function buildHttpServer(dispatcher: Dispatcher, opts: { logRequests?: boolean; tls?: TlsIdentity; limits?: HttpLimits } = {}): FastifyInstance {
  const limits = opts.limits ?? configFromEnv({}).limits;
  const app = Fastify({
    // The V3 SDK puts every parameter in the URL: a logged URL shows a password as ******.
    logger: opts.logRequests
      ? { level: 'info', serializers: { req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), hostname: req.hostname, remoteAddress: req.ip }) } }
      : false,
    bodyLimit: limits.maxBodyBytes,
    clientErrorHandler: answerClientError,
    serverFactory: (handler: RequestListener) => {
      const server = opts.tls
        ? createDualProtocolServer(serverOptions(limits), opts.tls, handler)
        : createServer(serverOptions(limits), handler);
      capConnectionsPerIp(server, limits.maxConnectionsPerIp);
      return server;
    },
  }) as unknown as FastifyInstance;

  // Fastify's own refusals (a body over bodyLimit: 413) answer an ECS error body too.
  app.setErrorHandler((err: { statusCode?: number; message?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) console.error('[openecs] HTTP layer error:', err);
    const { requestId, body } = gatewayErrorBody(status);
    reply.code(status).header('content-type', 'application/json;charset=utf-8').header('x-acs-request-id', requestId).send(body);
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const rpc = async (req: any, reply: any) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const parsed = requestParams(req.raw.url ?? '/', req.headers['content-type'], body, limits);
    if (!parsed.ok) {
      const { requestId, body: text } = gatewayErrorBody(parsed.status, parsed.message);
      return reply.code(parsed.status).header('content-type', 'application/json;charset=utf-8').header('x-acs-request-id', requestId).send(text);
    }
    const { query, params } = parsed;
    // A browser at `/` goes to the console; a signed call with an empty Action gets MissingParameter.
    if (req.method === 'GET' && !params.Action && !params.AccessKeyId && !req.headers['x-acs-action'] && !req.headers.authorization) {
      return reply.redirect('/console/', 302);
    }
    const signed: RpcRequest = {
      method: req.method, headers: req.headers, query, params, body, sourceIp: req.ip, secure: req.protocol === 'https',
    };
    const res = await dispatcher.handle(signed);
    reply.code(res.status).headers(res.headers).send(res.body);
  };
  // Other methods reach the dispatcher too, so they get an ECS error (UnsupportedHTTPMethod), not a bare 404.
  app.route({ method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'], url: '/', handler: rpc });
  registerConsole(app);
  return app;
}
