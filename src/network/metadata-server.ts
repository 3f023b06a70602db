/**
 * The metadata service's HTTP server (metadata-helper.ts runs it inside the instance namespace):
 * per request, the source address names the instance and its document is read from `docsDir`.
 * Through `gatewayDir`, the host's guest gateway (src/api/guest-gateway.ts, Unix sockets, which
 * work across network namespaces) it also
 *  - asks for the instance's RAM role and credentials when a path needs them (never cached here:
 *    a detached role stops being served at once), and
 *  - forwards API calls — a request for `/` that carries an Action (RPC query or form, or the V3
 *    `x-acs-action` header) — to the OpenECS API unchanged, so code in a guest reaches the API
 *    at http://100.100.100.200/ as ECS guests reach `ecs-vpc.<region>.aliyuncs.com`.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MetadataService, needsNetworkInterfaces, needsRamRole, needsSystemEvents, type ActiveSystemEvent, type InstanceMetadata, type MetadataNic, type RamRoleAnswer } from './metadata.js';

export const CREDENTIALS_SOCKET = 'credentials.sock';
export const API_SOCKET = 'api.sock';
/** The header the metadata service names the calling guest's address with on `api.sock`. */
export const GUEST_IP_HEADER = 'x-openecs-guest-ip';

export interface MetadataServerOptions {
  docsDir: string;
  /** Where the host's gateway sockets are; without it no RAM role is served and no API call forwarded. */
  gatewayDir?: string;
  log?: (msg: string) => void;
}

async function documentFor(docsDir: string, ip: string): Promise<InstanceMetadata | undefined> {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return undefined;
  try { return JSON.parse(await readFile(join(docsDir, `${ip}.json`), 'utf8')) as InstanceMetadata; } catch { return undefined; }
}

/**
 * One answer about an instance from the gateway (the store): `GET /instances/<id>/<leaf>` as JSON;
 * undefined when it has none (not 200) or does not answer (logged, naming `what`).
 */
function askGateway<T>(gatewayDir: string, instanceId: string, leaf: string, what: string, log: (m: string) => void): Promise<T | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath: join(gatewayDir, CREDENTIALS_SOCKET), path: `/instances/${encodeURIComponent(instanceId)}/${leaf}`, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(undefined);
        try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T); } catch { resolve(undefined); }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => { log(`${what} of ${instanceId} not known: the gateway did not answer (${e.message})`); resolve(undefined); });
    req.end();
  });
}

/** The instance's role; undefined when it holds none or the gateway does not answer. */
const ramRoleFor = (gatewayDir: string, instanceId: string, log: (m: string) => void) =>
  askGateway<RamRoleAnswer>(gatewayDir, instanceId, 'ram-role', 'RAM role', log);

/** The instance's system events under way; none when the gateway does not answer. */
const systemEventsFor = async (gatewayDir: string, instanceId: string, log: (m: string) => void) =>
  (await askGateway<ActiveSystemEvent[]>(gatewayDir, instanceId, 'active-system-events', 'system events', log)) ?? [];

/** The instance's attached ENIs; undefined when the gateway does not answer (the document's primary NIC is served). */
const networkInterfacesFor = (gatewayDir: string, instanceId: string, log: (m: string) => void) =>
  askGateway<MetadataNic[]>(gatewayDir, instanceId, 'network-interfaces', 'network interfaces', log);

/** An API call, not a metadata read: addressed to `/` and naming an action. */
export function isApiCall(req: IncomingMessage): boolean {
  const url = req.url ?? '/';
  const path = url.split('?')[0];
  if (path !== '/') return false;
  if (req.headers['x-acs-action'] !== undefined) return true;
  if (/[?&]Action=/.test(url)) return true;
  return req.method === 'POST' && String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function forwardToApi(gatewayDir: string, req: IncomingMessage, res: ServerResponse): void {
  // The guest's address goes along (policies read it as acs:SourceIp), set here and never taken
  // from the guest; one connection per call, so the gateway can give it to that call's socket.
  const headers = { ...req.headers, [GUEST_IP_HEADER]: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '') };
  const up = request({ socketPath: join(gatewayDir, API_SOCKET), method: req.method, path: req.url, headers, agent: false }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', () => {
    if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Code: 'ServiceUnavailable', Message: 'The OpenECS API is not reachable from this host right now.' }));
  });
  req.pipe(up);
}

export function createMetadataServer(o: MetadataServerOptions): Server {
  const log = o.log ?? (() => {});
  const service = new MetadataService();
  return createServer((req, res) => {
    if (o.gatewayDir && isApiCall(req)) return forwardToApi(o.gatewayDir, req, res);
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    void (async () => {
      const doc = await documentFor(o.docsDir, ip);
      const path = req.url ?? '/';
      const ram = doc && o.gatewayDir && needsRamRole(path) ? await ramRoleFor(o.gatewayDir, doc.instanceId, log) : undefined;
      const events = doc && o.gatewayDir && needsSystemEvents(path) ? await systemEventsFor(o.gatewayDir, doc.instanceId, log) : undefined;
      const nics = doc && o.gatewayDir && needsNetworkInterfaces(path) ? await networkInterfacesFor(o.gatewayDir, doc.instanceId, log) : undefined;
      const a = service.answer(doc, { method: req.method ?? 'GET', path, headers: req.headers, sourceIp: ip }, ram, events, nics);
      res.writeHead(a.status, { 'content-type': a.contentType, server: 'openecs-metadata' });
      res.end(req.method === 'HEAD' ? undefined : a.body);
    })().catch(() => { res.writeHead(500); res.end(); });
  });
}
