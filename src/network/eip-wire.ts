/**
 * Elastic IP addresses on the wire, in the instance namespace (src/network/netns.ts): an
 * "internet" bridge holds the associated EIPs (/32 each, so the namespace answers ARP for them
 * there); nftables translates 1:1 — prerouting DNAT of an EIP to its instance's private address,
 * postrouting SNAT of the private address to the EIP on the way out to the internet bridge — and
 * an HTB class per EIP on the bridge's egress limits what leaves through it (the instance's
 * outbound traffic, replies included) to the EIP's Bandwidth. The security groups of the
 * instance's NIC apply to what comes in after DNAT (the forward chain of nft-compiler.ts, which
 * lets VPC bridges reach the internet bridge).
 *
 * The instances' NAT public addresses (AllocatePublicIpAddress, RunInstances
 * InternetMaxBandwidthOut) are mappings of the same kind, at the instance's InternetMaxBandwidthOut.
 * Nothing else crosses between the internet bridge and the VPCs: an instance without a public
 * address has no internet, and no private address is reachable from there.
 *
 * Pure renderers (`renderEipNat`, `eipShaping`) and one apply (`applyEipWire`), idempotent: the
 * table is replaced whole, the addresses and the qdisc are set to what the mappings say. Each
 * address's class also counts the bytes that left through it (`eipClassBytes`): rebuilding the
 * qdisc restarts the counts, so an apply given a tally (src/network/eip-traffic.ts) folds them in first.
 */
import { createHash } from 'node:crypto';
import type { Netns } from './netns.js';
import { ident } from './nft-compiler.js';
import type { EipTrafficTally } from './eip-traffic.js';

export interface EipMapping {
  eip: string;
  privateIp: string;
  /** Mbit/s. */
  bandwidth: number;
}

/** The owner's internet bridge (IFNAMSIZ is 16; servers sharing a namespace keep their own). */
export function internetBridgeName(owner: string): string {
  return `oi${createHash('sha256').update(owner).digest('hex').slice(0, 10)}`;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** One mapping per EIP and per private address (the first wins), IPv4 only, sorted: the same store gives the same text. */
function usable(mappings: readonly EipMapping[]): EipMapping[] {
  const eips = new Set<string>();
  const privates = new Set<string>();
  const out: EipMapping[] = [];
  for (const m of [...mappings].sort((a, b) => a.eip.localeCompare(b.eip))) {
    if (!IPV4.test(m.eip) || !IPV4.test(m.privateIp) || eips.has(m.eip) || privates.has(m.privateIp)) continue;
    eips.add(m.eip);
    privates.add(m.privateIp);
    out.push(m);
  }
  return out;
}

/** The NAT table (family ip), replaced atomically by one `nft -f` (`add` + `delete` as renderRuleset does). */
export function renderEipNat(input: { table: string; internet: string; mappings: readonly EipMapping[] }): string {
  const t = ident(input.table);
  const maps = usable(input.mappings);
  const dnat = maps.map((m) => `${m.eip} : ${m.privateIp}`).join(', ');
  const snat = maps.map((m) => `${m.privateIp} : ${m.eip}`).join(', ');
  const privates = maps.map((m) => m.privateIp).join(', ');
  const inet = `"${input.internet}"`;
  return [
    `add table ip ${t}`, `delete table ip ${t}`, `table ip ${t} {`,
    '  chain prerouting {', '    type nat hook prerouting priority dstnat; policy accept;',
    ...(dnat ? [`    iifname "${input.internet}" dnat to ip daddr map { ${dnat} }`] : []), '  }',
    '  chain postrouting {', '    type nat hook postrouting priority srcnat; policy accept;',
    ...(snat ? [`    oifname "${input.internet}" snat to ip saddr map { ${snat} }`] : []), '  }',
    // Only EIPs cross: from the internet, what DNAT let in (and replies); to it, the mapped addresses.
    '  chain forward {', '    type filter hook forward priority filter; policy accept;',
    `    iifname ${inet} ct status dnat accept`, `    iifname ${inet} ct state established,related accept`, `    iifname ${inet} drop`,
    ...(privates ? [`    oifname ${inet} ip saddr { ${privates} } accept`] : []), `    oifname ${inet} drop`, '  }',
    '}',
  ].join('\n') + '\n';
}

/**
 * The `tc` commands that shape the internet bridge's egress: an HTB root whose unclassified
 * traffic passes unshaped, one class per EIP at its Bandwidth, a u32 filter by source address
 * (after SNAT, the EIP). Run after `tc qdisc del dev <if> root` (which may fail: none yet).
 */
export function eipShaping(dev: string, mappings: readonly EipMapping[]): string[][] {
  const cmds: string[][] = [['qdisc', 'add', 'dev', dev, 'root', 'handle', '1:', 'htb', 'default', 'ffff']];
  eipClasses(mappings).forEach(({ mapping: m, classid }) => {
    const rate = `${Math.max(1, Math.trunc(m.bandwidth))}mbit`;
    cmds.push(
      ['class', 'add', 'dev', dev, 'parent', '1:', 'classid', classid, 'htb', 'rate', rate, 'ceil', rate],
      ['filter', 'add', 'dev', dev, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'src', `${m.eip}/32`, 'flowid', classid],
    );
  });
  return cmds;
}

/** Each usable mapping's HTB class id on the internet bridge. */
function eipClasses(mappings: readonly EipMapping[]): { mapping: EipMapping; classid: string }[] {
  return usable(mappings).map((mapping, i) => ({ mapping, classid: `1:${(i + 16).toString(16)}` }));
}

/** Bytes sent per class id, from `tc -s class show` (iproute2 prints no JSON for HTB classes): `class htb 1:10 …` then ` Sent N bytes …`. */
export function parseClassBytes(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let classid: string | undefined;
  for (const line of text.split('\n')) {
    const head = /^class \S+ (\S+)/.exec(line);
    if (head) { classid = head[1]; continue; }
    const sent = /^\s*Sent (\d+) bytes/.exec(line);
    if (sent && classid) { out.set(classid, Number(sent[1])); classid = undefined; }
  }
  return out;
}

/** The bytes each mapped EIP's class has sent since the classes were built for these `mappings` (the ones last applied). */
export async function eipClassBytes(ns: Netns, dev: string, mappings: readonly EipMapping[]): Promise<Map<string, number>> {
  const classes = eipClasses(mappings);
  if (!classes.length) return new Map();
  const sent = parseClassBytes((await ns.exec('tc', ['-s', 'class', 'show', 'dev', dev])).stdout);
  return new Map(classes.map(({ mapping, classid }) => [mapping.eip, sent.get(classid) ?? 0]));
}

/**
 * Brings the namespace's internet side in step with `mappings`: the bridge (created once, up),
 * the EIPs as its /32 addresses (others removed; `gateway`, a prefixed address, kept), the NAT
 * table and the shaping.
 */
export async function applyEipWire(ns: Netns, owner: string, mappings: readonly EipMapping[], gateway?: string, tally?: EipTrafficTally): Promise<string> {
  const br = internetBridgeName(owner);
  const maps = usable(mappings);
  // A server that never had an EIP on the wire (and no gateway to set) leaves the namespace as it is.
  if (maps.length === 0 && !gateway && (!(await ns.exists()) || !(await ns.links()).some((l) => l.ifname === br))) return br;
  await ns.ensure();
  if (!(await ns.links()).some((l) => l.ifname === br)) {
    await ns.ip(['link', 'add', br, 'type', 'bridge']).catch(async (e) => { if (!(await ns.links()).some((l) => l.ifname === br)) throw e; });
    await ns.ip(['link', 'set', br, 'alias', `openecs-internet:${owner}`]);
  }
  await ns.ip(['link', 'set', br, 'up']);
  if (gateway) await ns.ip(['addr', 'replace', gateway, 'dev', br]);
  const wanted = new Set(maps.map((m) => `${m.eip}/32`));
  const { stdout } = await ns.ip(['-j', '-4', 'addr', 'show', 'dev', br]);
  const held = ((JSON.parse(stdout || '[]') as { addr_info?: { local: string; prefixlen: number }[] }[])[0]?.addr_info ?? [])
    .filter((a) => a.prefixlen === 32 && `${a.local}/32` !== gateway).map((a) => `${a.local}/32`);
  for (const a of held) if (!wanted.has(a)) await ns.ip(['addr', 'del', a, 'dev', br]);
  for (const a of wanted) if (!held.includes(a)) await ns.ip(['addr', 'add', a, 'dev', br]);
  await ns.applyNft(renderEipNat({ table: `openecs_eip_${owner}`, internet: br, mappings: maps }));
  const shape = async () => {
    await ns.exec('tc', ['qdisc', 'del', 'dev', br, 'root']).catch(() => { /* none yet */ });
    if (maps.length) for (const args of eipShaping(br, maps)) await ns.exec('tc', args);
  };
  await (tally ? tally.reshape(ns, br, maps, shape) : shape());
  return br;
}
