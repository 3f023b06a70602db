/**
 * The instance metadata service (http://100.100.100.200), as a pure function of one instance's
 * document: the paths ECS documents and cloud-init's AliYun datasource crawls (it is the EC2
 * crawler with version `2016-01-01`: directory listings end entries with `/`, `public-keys/`
 * holds `<n>/openssh-key`; test/qemu/cloud-init.test.ts runs Debian 12's 22.4 against it). Newer
 * cloud-init first PUTs `/latest/api/token` with header `X-aliyun-ecs-metadata-token-ttl-seconds`
 * for the hardened mode; 22.4 PUTs only on AWS. `latest` and `2016-01-01` answer alike.
 */
import { randomBytes } from 'node:crypto';

export interface InstanceMetadata {
  instanceId: string;
  hostname: string;
  privateIp: string;
  mac: string;
  regionId: string;
  zoneId: string;
  imageId: string;
  instanceType: string;
  vpcId: string;
  vswitchId: string;
  vpcCidr: string;
  vswitchCidr: string;
  gateway: string;
  netmask: string;
  serialNumber: string;
  ownerAccountId: string;
  publicKeys: string[];
  /** Base64, as stored by RunInstances; served decoded. */
  userData: string;
  eniId: string;
  /** ModifyInstanceMetadataOptions; absent: enabled, tokens optional. */
  httpEndpoint?: 'enabled' | 'disabled';
  httpTokens?: 'optional' | 'required';
  /** InstanceMetadataTags enabled: served under meta-data/tags/instance/<key>. */
  tags?: Record<string, string>;
  /** A spot instance's interruption notice: the termination time (ISO 8601 UTC) served at meta-data/instance/spot/termination-time; absent: 404. */
  spotTerminationTime?: string;
}

type Tree = { [k: string]: string | Tree };

/**
 * One ENI attached to the instance (the primary one included), as `network/interfaces/macs/<mac>/`
 * shows it; the host's gateway reads them from the store per request, so an attach, a detach or
 * an assigned secondary address shows at once.
 */
export interface MetadataNic {
  networkInterfaceId: string;
  mac: string;
  primaryIp: string;
  /** The primary address first, then the secondary ones. */
  privateIps: string[];
  vpcId: string;
  vswitchId: string;
  vpcCidr: string;
  vswitchCidr: string;
  /** The ENI's IPv6 addresses and its VSwitch's and VPC's IPv6 blocks ('' or absent: no IPv6). */
  ipv6s?: string[];
  vswitchIpv6Cidr?: string;
  vpcIpv6Cidr?: string;
}

const ipv4ToInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const intToIpv4 = (n: number) => [24, 16, 8, 0].map((b) => Math.floor(n / 2 ** b) % 256).join('.');

/** A VSwitch's netmask and gateway (the third address from its top, as the guest's DHCP and seed name it). */
export function vswitchGateway(cidr: string): { netmask: string; gateway: string } {
  const [base = '0.0.0.0', bits = '24'] = cidr.split('/');
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipv4ToInt(base) / size) * size;
  return { netmask: intToIpv4(2 ** 32 - size), gateway: intToIpv4(network + size - 3) };
}

/** The `network/interfaces/macs/<mac>/` entry of one ENI. */
function nicEntry(n: MetadataNic): Tree {
  return {
    'network-interface-id': n.networkInterfaceId, ...vswitchGateway(n.vswitchCidr), 'primary-ip-address': n.primaryIp,
    'private-ipv4s': JSON.stringify(n.privateIps), 'vpc-id': n.vpcId, 'vswitch-id': n.vswitchId,
    'vpc-cidr-block': n.vpcCidr, 'vswitch-cidr-block': n.vswitchCidr,
    // Shown only where the VSwitch has IPv6, as on ECS.
    ...(n.vswitchIpv6Cidr ? { ipv6s: JSON.stringify(n.ipv6s ?? []), 'vswitch-ipv6-cidr-block': n.vswitchIpv6Cidr, 'vpc-ipv6-cidr-blocks': JSON.stringify(n.vpcIpv6Cidr ? [n.vpcIpv6Cidr] : []) } : {}),
  };
}

/**
 * The instance's RAM role as the host's gateway reports it per request (never from the document
 * file, which outlives a detach): its name and, when it can be assumed, the credentials document.
 */
export interface RamRoleAnswer {
  roleName: string;
  credentials?: Record<string, string>;
}

/**
 * `nics`: the instance's attached ENIs from the gateway; without them (no gateway, or it did not
 * answer) the document's primary NIC alone.
 */
export function metadataTree(m: InstanceMetadata, ram?: RamRoleAnswer, nics?: MetadataNic[]): Tree {
  const macs: Tree = {};
  if (nics?.length) {
    for (const n of nics) macs[n.mac] = nicEntry(n);
  } else {
    macs[m.mac] = {
      'network-interface-id': m.eniId, netmask: m.netmask, gateway: m.gateway, 'primary-ip-address': m.privateIp,
      'private-ipv4s': JSON.stringify([m.privateIp]), 'vpc-id': m.vpcId, 'vswitch-id': m.vswitchId,
      'vpc-cidr-block': m.vpcCidr, 'vswitch-cidr-block': m.vswitchCidr,
    };
  }
  const keys: Tree = {};
  m.publicKeys.forEach((k, i) => { keys[String(i)] = { 'openssh-key': k.trim() }; });
  const tree: Tree = {
    'instance-id': m.instanceId,
    hostname: m.hostname,
    'private-ipv4': m.privateIp,
    'region-id': m.regionId,
    'zone-id': m.zoneId,
    'image-id': m.imageId,
    instance: {
      'instance-type': m.instanceType, 'virtualization-solution': 'ECS Virt', 'virtualization-solution-version': '2.0',
      ...(m.spotTerminationTime ? { spot: { 'termination-time': m.spotTerminationTime } } : {}),
    },
    'instance-type': m.instanceType,
    mac: m.mac,
    network: { interfaces: { macs } },
    'network-type': 'vpc',
    'owner-account-id': m.ownerAccountId,
    'vpc-id': m.vpcId,
    'vswitch-id': m.vswitchId,
    'vpc-cidr-block': m.vpcCidr,
    'vswitch-cidr-block': m.vswitchCidr,
    'serial-number': m.serialNumber,
    'dns-conf': { nameservers: m.gateway },
    'ntp-conf': { 'ntp-servers': 'ntp.cloud.aliyuncs.com' },
    'source-address': 'http://mirrors.cloud.aliyuncs.com',
  };
  if (m.publicKeys.length) tree['public-keys'] = keys;
  if (m.tags) tree.tags = { instance: { ...m.tags } };
  if (ram) {
    const leaf: Tree = ram.credentials ? { [ram.roleName]: JSON.stringify(ram.credentials, null, 2) } : {};
    tree.ram = { 'security-credentials': leaf };
  }
  return tree;
}

export function identityDocument(m: InstanceMetadata) {
  return {
    'zone-id': m.zoneId, 'serial-number': m.serialNumber, 'instance-id': m.instanceId, 'region-id': m.regionId,
    'private-ipv4': m.privateIp, 'owner-account-id': m.ownerAccountId, mac: m.mac, 'image-id': m.imageId, 'instance-type': m.instanceType,
  };
}

export interface MetadataAnswer { status: number; contentType: string; body: Buffer | string }

const text = (body: string, status = 200): MetadataAnswer => ({ status, contentType: 'text/plain', body });
const unknownSource = () => text('no instance holds this source address', 404);
const notFound = (): MetadataAnswer => text('<?xml version="1.0" encoding="iso-8859-1"?>\n<title>404 - Not Found</title>\n', 404);

function listing(t: Tree) {
  return Object.keys(t).sort().map((k) => (typeof t[k] === 'string' ? k : `${k}/`)).join('\n');
}

/** The request path without its query, repeated slashes folded. */
const metadataPath = (raw: string) => raw.split('?')[0]!.replace(/\/{2,}/g, '/');

/**
 * One of the instance's system events under way, as `maintenance/active-system-events` lists them
 * (the API's names: DescribeInstanceHistoryEvents); asked of the host's gateway per request.
 */
export interface ActiveSystemEvent {
  EventId: string;
  EventType: string;
  EventCycleStatus: string;
  NotBefore: string;
  EventPublishTime: string;
  Reason: string;
}

/** Whether answering `rawPath` needs the instance's active system events. */
export function needsSystemEvents(rawPath: string): boolean {
  const parts = metadataPath(rawPath).split('/').filter(Boolean);
  return parts[1] === 'maintenance' && parts[2] === 'active-system-events';
}

/** Whether answering `rawPath` needs the instance's attached ENIs (anything under `network/`). */
export function needsNetworkInterfaces(rawPath: string): boolean {
  const parts = metadataPath(rawPath).split('/').filter(Boolean);
  return parts[1] === 'meta-data' && parts[2] === 'network';
}

/** Whether answering `rawPath` needs the instance's RAM role (the meta-data listing or anything under `ram/`). */
export function needsRamRole(rawPath: string): boolean {
  const parts = metadataPath(rawPath).split('/').filter(Boolean);
  return parts[1] === 'meta-data' && (parts.length === 2 || parts[2] === 'ram' || parts[2] === 'Ram');
}

/** Answers one request (method, path without query) for the instance `m` (undefined: unknown source). */
export function answerMetadata(m: InstanceMetadata | undefined, method: string, rawPath: string, ram?: RamRoleAnswer, events?: ActiveSystemEvent[], nics?: MetadataNic[]): MetadataAnswer {
  const path = metadataPath(rawPath);
  if (path === '/' || path === '') return text('2016-01-01\nlatest');
  const parts = path.split('/').filter(Boolean);
  const [version, section, ...rest] = parts;
  if (version !== 'latest' && version !== '2016-01-01') return notFound();
  // Tokens are MetadataService's; a token request that reaches here is not a PUT.
  if (section === 'api' && rest[0] === 'token') return text('Method Not Allowed', 405);
  if (method !== 'GET' && method !== 'HEAD') return text('Method Not Allowed', 405);
  if (!section) return text('dynamic\nmaintenance\nmeta-data\nuser-data');
  if (!m) return unknownSource();
  if (section === 'maintenance') {
    if (rest.length === 0) return text('active-system-events');
    if (rest[0] === 'active-system-events' && rest.length === 1) {
      return { status: 200, contentType: 'application/json', body: JSON.stringify(events ?? []) };
    }
    return notFound();
  }
  if (section === 'user-data') {
    if (!m.userData) return notFound();
    return { status: 200, contentType: 'application/octet-stream', body: Buffer.from(m.userData, 'base64') };
  }
  if (section === 'dynamic') {
    if (rest.length === 0) return text('instance-identity/');
    if (rest[0] !== 'instance-identity') return notFound();
    if (rest.length === 1) return text('document');
    if (rest[1] === 'document' && rest.length === 2) return { status: 200, contentType: 'application/json', body: JSON.stringify(identityDocument(m)) };
    return notFound();
  }
  if (section !== 'meta-data') return notFound();
  let node: string | Tree = metadataTree(m, ram, nics);
  // The guide (4.3.3) spells it `Ram/security-credentials/<role>`; the listing says `ram/`.
  if (rest[0] === 'Ram') rest[0] = 'ram';
  for (const p of rest) {
    if (typeof node === 'string' || !(p in node)) return notFound();
    node = node[p]!;
  }
  if (typeof node === 'string') return rest[0] === 'ram' ? { status: 200, contentType: 'application/json', body: node } : text(node);
  return text(listing(node));
}

export interface MetadataRequest {
  method: string;
  path: string;
  /** Lower-case header names, as node's http module gives them. */
  headers: Record<string, string | string[] | undefined>;
  sourceIp: string;
}

const TOKEN_HEADER = 'x-aliyun-ecs-metadata-token';
const TTL_HEADER = 'x-aliyun-ecs-metadata-token-ttl-seconds';
const MAX_TOKEN_TTL_S = 21_600;

/**
 * The metadata service with ECS's security hardening mode: `PUT /latest/api/token` with a TTL of
 * 1-21600 s hands out a token bound to the caller's address (400 without a valid TTL, 403 when
 * the request carries X-Forwarded-For, so that a proxied SSRF cannot get one); a request with an
 * unknown or expired token is 401; without a token it is answered unless the instance requires
 * tokens (HttpTokens=required: 403). An instance whose metadata access is disabled gets 403.
 */
export class MetadataService {
  private tokens = new Map<string, { ip: string; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  answer(doc: InstanceMetadata | undefined, req: MetadataRequest, ram?: RamRoleAnswer, events?: ActiveSystemEvent[], nics?: MetadataNic[]): MetadataAnswer {
    const path = metadataPath(req.path);
    const header = (name: string) => { const v = req.headers[name]; return Array.isArray(v) ? v[0] : v; };
    if (doc?.httpEndpoint === 'disabled') return text('Forbidden: metadata access is disabled for this instance', 403);
    if (/^\/(latest|2016-01-01)\/api\/token\/?$/.test(path) && req.method === 'PUT') {
      if (header('x-forwarded-for') !== undefined) return text('Forbidden', 403);
      const ttl = Number(header(TTL_HEADER));
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_S) return text('Missing or Invalid Parameters', 400);
      if (!doc) return unknownSource();
      const token = randomBytes(32).toString('base64url');
      this.prune();
      this.tokens.set(token, { ip: req.sourceIp, expiresAt: this.now() + ttl * 1000 });
      return text(token);
    }
    const token = header(TOKEN_HEADER);
    if (token !== undefined) {
      const t = this.tokens.get(token);
      if (!t || t.ip !== req.sourceIp || t.expiresAt <= this.now()) return text('Unauthorized', 401);
    } else if (doc?.httpTokens === 'required' && path !== '/' && path !== '') {
      return text('Forbidden', 403);
    }
    return answerMetadata(doc, req.method, path, ram, events, nics);
  }

  private prune() {
    if (this.tokens.size < 10_000) return;
    const now = this.now();
    for (const [k, v] of this.tokens) if (v.expiresAt <= now) this.tokens.delete(k);
  }
}
