/**
 * The per-instance seed: what cloud-init's NoCloud seed or the metadata service would give the
 * guest (instance id, hostname, network, key, password, user data). It travels as a second cpio
 * archive appended to the image's initramfs (the kernel unpacks concatenated archives in order),
 * lands under /seed, and stage 1 copies it to /run/openecs on the guest's tmpfs — never onto disk.
 */
import type { GuestSpec } from '../driver.js';
import { cpioArchive, type CpioEntry } from './cpio.js';

export interface GuestNetwork { ip: string; prefix: number; gateway: string; dns: string; cidr: string }

function ipToInt(ip: string) { return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0); }
function intToIp(n: number) { return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.'); }

/**
 * The guest's network from its private IP and its vSwitch CIDR (default: the /24 around the IP).
 * ECS vSwitches reserve the last three addresses; the gateway is the first of them (x.x.x.253
 * in a /24), and we put the resolver on the next one.
 */
export function guestNetwork(privateIp: string, cidr?: string): GuestNetwork | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(privateIp)) return undefined;
  let [base, bits] = (cidr ?? '').split('/');
  let prefix = Number(bits);
  if (!base || !Number.isInteger(prefix) || prefix < 8 || prefix > 29) { prefix = 24; base = privateIp; }
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipToInt(base) / size) * size;
  const broadcast = network + size - 1;
  return { ip: privateIp, prefix, gateway: intToIp(broadcast - 2), dns: intToIp(broadcast - 1), cidr: `${intToIp(network)}/${prefix}` };
}

function shellQuote(v: string) { return `'${v.replace(/'/g, `'\\''`)}'`; }

/** ECS stores UserData Base64-encoded; the guest gets the decoded bytes. */
export function decodeUserData(userData: string): Buffer | undefined {
  if (!userData) return undefined;
  const b = Buffer.from(userData, 'base64');
  return b.length ? b : undefined;
}

/** `metadataService`: the guest can reach 100.100.100.200 (netns network) and should prefer it. */
export function seedArchive(spec: GuestSpec, opts: { metadataService?: boolean } = {}): Buffer {
  const net = guestNetwork(spec.privateIp, spec.vswitchCidr);
  const meta: Record<string, string> = {
    INSTANCE_ID: spec.instanceId,
    HOSTNAME: spec.hostName || spec.instanceId,
    IMAGE_ID: spec.imageId,
    VPC_ID: spec.vpcId,
    VSWITCH_ID: spec.vswitchId,
  };
  if (net) Object.assign(meta, { PRIVATE_IP: net.ip, PREFIX: String(net.prefix), GATEWAY: net.gateway, NAMESERVER: net.dns });
  if (net && opts.metadataService) meta.METADATA = '1';
  const entries: CpioEntry[] = [
    { type: 'dir', path: 'seed', mode: 0o700 },
    { type: 'file', path: 'seed/meta', data: Object.entries(meta).map(([k, v]) => `${k}=${shellQuote(v)}\n`).join(''), mode: 0o600 },
  ];
  const ud = decodeUserData(spec.userData);
  if (ud) entries.push({ type: 'file', path: 'seed/user-data', data: ud, mode: 0o600 });
  if (spec.publicKey) entries.push({ type: 'file', path: 'seed/authorized_keys', data: spec.publicKey.trim() + '\n', mode: 0o600 });
  if (spec.password) entries.push({ type: 'file', path: 'seed/password', data: spec.password, mode: 0o600 });
  return cpioArchive(entries);
}
