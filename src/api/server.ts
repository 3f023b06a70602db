/** The HTTP server: one RPC route at `/` for GET and POST, raw bodies kept for V3 signatures. */
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer, type RequestListener } from 'node:http';
import type { Dispatcher, RpcRequest } from './dispatch.js';
import { registerConsole } from './console.js';
import { bodyParams } from './body.js';
import { createDualProtocolServer } from './dual-protocol.js';
import type { TlsIdentity } from './tls-cert.js';
import { answerClientError, gatewayErrorBody } from './gateway-errors.js';

/** The V3 SDK puts everything, 32 KiB of UserData included, into the URL (api-protocol.md §1.1). */
const MAX_HEADER_BYTES = 256 * 1024;

/** With `tls`, the same port answers HTTPS too (see dual-protocol.ts). */
export function buildHttpServer(dispatcher: Dispatcher, opts: { logRequests?: boolean; tls?: TlsIdentity } = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logRequests ? { level: 'info' } : false,
    bodyLimit: 8 * 1024 * 1024,
    clientErrorHandler: answerClientError,
    serverFactory: (handler: RequestListener) => opts.tls
      ? createDualProtocolServer({ maxHeaderSize: MAX_HEADER_BYTES }, opts.tls, handler)
      : createServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler),
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
    const url: string = req.raw.url ?? '/';
    const qi = url.indexOf('?');
    const query = qi < 0 ? [] : [...new URLSearchParams(url.slice(qi + 1))];
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const params: Record<string, string> = {};
    for (const [k, v] of query) params[k] = v;
    for (const [k, v] of bodyParams(req.headers['content-type'], body)) params[k] = v;
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
