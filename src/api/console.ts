/**
 * Serves the Management Console (web/dist, built by `node web/build.mjs`) at /console/. Files are
 * served as they are; any other /console/* path gets index.html so the console's own routes
 * survive reloads and deep links. Hashed assets are cached for good, index.html never.
 * The console reaches the server only through the signed RPC API at `/`.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_DIST = resolve(fileURLToPath(new URL('../../web/dist', import.meta.url)));

const NOT_BUILT = `<!doctype html><title>OpenECS console</title><h1>The console is not built</h1>
<p>Run <code>npm run build:console</code> (or <code>npm start</code>, which builds it when needed).</p>`;

function isFile(root: string, rel: string): boolean {
  const full = resolve(root, rel);
  if (full !== root && !full.startsWith(root + sep)) return false;
  try { return statSync(full).isFile(); } catch { return false; }
}

export function registerConsole(app: FastifyInstance, root = CONSOLE_DIST): void {
  app.register(fastifyStatic, { root, serve: false });
  app.get('/console', (_req, reply) => reply.redirect('/console/', 301));
  app.get('/console/*', (req, reply) => {
    if (!existsSync(join(root, 'index.html'))) return reply.code(503).type('text/html').send(NOT_BUILT);
    const rel = decodeURIComponent(((req.params as Record<string, string>)['*'] ?? '').split('?')[0]!);
    if (rel && isFile(root, rel)) {
      reply.header('cache-control', rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(rel, root, { cacheControl: false });
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', root, { cacheControl: false });
  });
}
