/**
 * The host's side of what guests reach through the metadata service (src/network/metadata-server.ts),
 * as two Unix sockets in one private folder (Unix sockets cross network namespaces, so the helper
 * in the instance namespace can connect while guests cannot):
 *  - `credentials.sock`: `GET /instances/<id>/ram-role` answers the instance's RAM role and its
 *    temporary credentials from the store (src/auth/instance-credentials.ts), 404 when it holds none;
 *    `GET /instances/<id>/active-system-events` its system events under way (a JSON list);
 *    `GET /instances/<id>/network-interfaces` its attached ENIs (`network/interfaces/macs/`);
 *  - `api.sock`: the OpenECS API itself, the same routes and authentication as the TCP port.
 * Only the helper forwards to them: it sends API calls to `api.sock` and never a guest's request
 * to `credentials.sock`.
 */
import { createServer, type Server } from 'node:http';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { instanceRoleCredentials } from '../auth/instance-credentials.js';
import type { SecretBox } from '../auth/secrets.js';
import type { Clock } from '../engine/clock.js';
import type { Db } from '../store/db.js';
import { API_SOCKET, CREDENTIALS_SOCKET, GUEST_IP_HEADER } from '../network/metadata-server.js';
import type { ActiveSystemEvent, MetadataNic } from '../network/metadata.js';
import { attachedInterfacesWithNetworks } from '../store/network-interfaces.js';
import { activeEventsOf } from '../store/system-events.js';
import { isoSecond } from '../domain/time.js';

/** The metadata service's `maintenance/active-system-events` of one instance. */
export async function activeSystemEventsOf(db: Db, instanceId: string): Promise<ActiveSystemEvent[]> {
  return (await activeEventsOf(db, instanceId)).map((e) => ({
    EventId: e.id, EventType: e.event_type, EventCycleStatus: e.cycle_status,
    NotBefore: isoSecond(e.not_before), EventPublishTime: isoSecond(e.publish_time), Reason: e.reason,
  }));
}

/** The metadata service's `network/interfaces/macs/` of one instance: its attached ENIs, primary first. */
export async function metadataNicsOf(db: Db, instanceId: string): Promise<MetadataNic[]> {
  return (await attachedInterfacesWithNetworks(db, instanceId)).map((n) => ({
    networkInterfaceId: n.id, mac: n.mac_address, primaryIp: n.primary_ip, privateIps: [n.primary_ip, ...n.secondary_ips],
    vpcId: n.vpc_id, vswitchId: n.vswitch_id, vpcCidr: n.vpc_cidr, vswitchCidr: n.vswitch_cidr,
    ipv6s: n.ipv6_addresses, vswitchIpv6Cidr: n.vswitch_ipv6_cidr, vpcIpv6Cidr: n.vpc_ipv6_cidr,
  }));
}

export interface GuestGateway { dir: string; close(): Promise<void> }

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolve(); });
  });
}

export async function startGuestGateway(dir: string, o: { db: Db; sealer: SecretBox; clock: Clock; http: FastifyInstance; log?: (msg: string, extra?: Record<string, unknown>) => void }): Promise<GuestGateway> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const credentials = createServer((req, res) => {
    const ev = /^\/instances\/([A-Za-z0-9-]+)\/active-system-events$/.exec(req.url ?? '');
    if (req.method === 'GET' && ev) {
      activeSystemEventsOf(o.db, ev[1]!).then((list) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(list));
      }, (e) => {
        o.log?.('instance system events not read', { instance: ev[1], error: String(e) });
        res.writeHead(500); res.end();
      });
      return;
    }
    const nics = /^\/instances\/([A-Za-z0-9-]+)\/network-interfaces$/.exec(req.url ?? '');
    if (req.method === 'GET' && nics) {
      metadataNicsOf(o.db, nics[1]!).then((list) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(list));
      }, (e) => {
        o.log?.('instance network interfaces not read', { instance: nics[1], error: String(e) });
        res.writeHead(500); res.end();
      });
      return;
    }
    const m = /^\/instances\/([A-Za-z0-9-]+)\/ram-role$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) { res.writeHead(404); res.end(); return; }
    instanceRoleCredentials(o.db, o.sealer, m[1]!, o.clock.now()).then((answer) => {
      if (!answer) { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{}'); return; }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    }, (e) => {
      o.log?.('instance RAM role credentials not issued', { instance: m[1], error: String(e) });
      res.writeHead(500); res.end();
    });
  });
  const api = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    // A Unix socket has no peer address: the guest's, named by the metadata service (one
    // connection per call), is the call's source address (acs:SourceIp).
    const ip = req.headers[GUEST_IP_HEADER];
    delete req.headers[GUEST_IP_HEADER];
    if (typeof ip === 'string' && /^[0-9a-fA-F.:]{2,45}$/.test(ip)) Object.defineProperty(req.socket, 'remoteAddress', { value: ip, configurable: true });
    o.http.routing(req, res);
  });
  const servers: [Server, string][] = [[credentials, join(dir, CREDENTIALS_SOCKET)], [api, join(dir, API_SOCKET)]];
  for (const [server, path] of servers) {
    // A socket file left by a server that died is in the way of listen().
    await rm(path, { force: true });
    await listen(server, path);
    await chmod(path, 0o600);
  }
  return {
    dir,
    async close() {
      for (const [server, path] of servers) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await rm(path, { force: true });
      }
    },
  };
}
