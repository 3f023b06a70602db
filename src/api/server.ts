/** The HTTP server: one RPC route at `/` for GET and POST, raw bodies kept for V3 signatures. */
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer, type RequestListener } from 'node:http';
import type { Dispatcher } from './dispatch.js';
import type { SignedRequest } from './authenticate.js';
import { registerConsole } from './console.js';

/** The V3 SDK puts everything, 32 KiB of UserData included, into the URL (api-protocol.md §1.1). */
const MAX_HEADER_BYTES = 256 * 1024;

export function buildHttpServer(dispatcher: Dispatcher, opts: { logRequests?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logRequests ? { level: 'info' } : false,
    bodyLimit: 8 * 1024 * 1024,
    serverFactory: (handler: RequestListener) => createServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler),
  }) as unknown as FastifyInstance;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const rpc = async (req: any, reply: any) => {
    const url: string = req.raw.url ?? '/';
    const qi = url.indexOf('?');
    const query = qi < 0 ? [] : [...new URLSearchParams(url.slice(qi + 1))];
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const params: Record<string, string> = {};
    for (const [k, v] of query) params[k] = v;
    const type = String(req.headers['content-type'] ?? '');
    if (body.length && type.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
    }
    if (req.method === 'GET' && !params.Action && !req.headers['x-acs-action'] && !req.headers.authorization) {
      return reply.redirect('/console/', 302);
    }
    const signed: SignedRequest = { method: req.method, headers: req.headers, query, params, body };
    const res = await dispatcher.handle(signed);
    reply.code(res.status).headers(res.headers).send(res.body);
  };
  // Other methods reach the dispatcher too, so they get an ECS error (UnsupportedHTTPMethod), not a bare 404.
  app.route({ method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'], url: '/', handler: rpc });
  registerConsole(app);
  return app;
}
