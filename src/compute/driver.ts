/**
 * The compute driver contract. Drivers are told what to do and report what is; the database
 * holds the truth, so every call is idempotent and a restarted server simply tells them again.
 */
import type { MetadataOptions } from '../domain/instances/metadata-options.js';
import type { EipMapping } from '../network/eip-wire.js';
import type { TrafficCounter } from '../domain/billing/traffic.js';
import type { WireEntry } from '../network/route-wire.js';

export type PowerState = 'running' | 'stopped' | 'absent';

export interface GuestDisk {
  diskId: string;
  type: 'system' | 'data';
  sizeGiB: number;
  device: string;
  imageId: string;
  snapshotId: string;
}

/** A secondary network interface as a guest sees it. */
export interface GuestNic {
  eniId: string;
  mac: string;
  /** Its device index on the instance (1 and up; 0 is the primary NIC). */
  deviceIndex: number;
  vpcId: string;
  vswitchId: string;
  vswitchCidr: string;
  privateIp: string;
}

export interface GuestSpec {
  instanceId: string;
  hostName: string;
  cpu: number;
  memoryMiB: number;
  imageId: string;
  osType: string;
  vpcId: string;
  vswitchId: string;
  privateIp: string;
  userData: string;
  keyPairName: string;
  disks: GuestDisk[];
  /** The key pair's public key text (OpenSSH format) for root's authorized_keys; real drivers need the text, not the name. */
  publicKey?: string;
  /** The root password in clear, when the instance has one (the guest hashes it). */
  password?: string;
  /** The root password sealed with the server key (src/auth/secrets.ts); drivers that need it in clear open it. */
  passwordSealed?: string;
  /** The vSwitch CIDR, so the guest gets the right prefix and gateway (default: the /24 around privateIp). */
  vswitchCidr?: string;
  /** For the metadata service (qemu): where and what the instance is. */
  regionId?: string;
  zoneId?: string;
  instanceType?: string;
  vpcCidr?: string;
  serialNumber?: string;
  accountId?: string;
  /** The metadata service's access options (ModifyInstanceMetadataOptions); absent: ECS's defaults. */
  metadataOptions?: MetadataOptions;
  /** The instance's tags, when InstanceMetadataTags is enabled. */
  metadataTags?: Record<string, string>;
  /** The primary network interface's id (DescribeNetworkInterfaces), for the metadata service. */
  eniId?: string;
  /** Secondary network interfaces attached (InUse) or attaching: a booting guest has them (qemu). */
  nics?: GuestNic[];
  /** The VNC password sealed with the server key (ModifyInstanceVncPasswd); absent or '': none set. Applied at every boot. */
  vncPasswordSealed?: string;
  /** The metadata generation `metadataOptions` and `metadataTags` belong to (the instance row's). */
  metadataGeneration?: number;
  /** A spot instance's interruption notice (ISO 8601 UTC termination time) for the metadata service; absent: none. */
  spotTerminationTime?: string;
}

/**
 * What a running guest has of its instance's live settings, as the driver recorded it when it
 * applied them (qemu: vm.json); the engine pushes what differs from the instance row.
 */
export interface GuestSettings {
  /** The sealed VNC password its console has ('' when none was set). */
  vncPasswordSealed: string;
  /** The metadata generation its metadata service serves. */
  metadataGeneration: number;
}

/** One NIC's security groups with all their rules (network-enforcing drivers compile them). */
export interface NicSecurityPolicy {
  instanceId: string;
  ip: string;
  /** Its IPv6 addresses (AssignIpv6Addresses); absent: none. */
  ipv6?: string[];
  /** Its secondary private IPv4 addresses (AssignPrivateIpAddresses): the same groups apply to them. */
  secondaryIps?: string[];
  groups: import('../domain/security-rules/evaluate.js').EvaluatedGroup[];
}

/** Cumulative counters of a running guest at time `t` (epoch ms); rates come from two samples. */
export interface MonitorSample {
  t: number;
  /** CPU seconds the guest's process used since it started, and its vCPUs. */
  cpuSeconds: number;
  vcpus: number;
  /** Bytes the guest received / sent on its private NIC. */
  netRxBytes: number;
  netTxBytes: number;
  disks: Record<string, { readBytes: number; writeBytes: number; readOps: number; writeOps: number; readNs: number; writeNs: number }>;
}

export interface ComputeDriver {
  readonly name: string;
  /** The least time a power transition takes; the sim driver's configured delay. */
  readonly transitionMs: number;
  /**
   * True when transitions happen on the clock alone (the sim driver): a transition is then dated
   * at the moment it became due, so moving the clock forward an hour completes every step.
   */
  readonly clockTimed?: boolean;
  /**
   * Where the server should open the guest gateway (RAM role credentials and the API for guests,
   * src/api/guest-gateway.ts) that this driver's metadata service forwards to; undefined: none.
   */
  guestGatewayDir?(): Promise<string | undefined>;
  ensureCreated(spec: GuestSpec): Promise<void>;
  start(spec: GuestSpec): Promise<void>;
  stop(instanceId: string, force: boolean): Promise<void>;
  destroy(instanceId: string): Promise<void>;
  powerState(instanceId: string): Promise<PowerState>;
  /** Instances the driver holds; used after a restart to remove what the store no longer knows. */
  list(): Promise<string[]>;
  close(): Promise<void>;
  /** Optional disk hooks for drivers whose disks are real files (qemu): ids are ECS ids. */
  resizeDisk?(diskId: string, sizeGiB: number): Promise<void>;
  /** Freezes a disk's current bytes under `snapshotId` (the instance must be stopped or the driver must cope). */
  snapshotDisk?(diskId: string, snapshotId: string): Promise<void>;
  deleteSnapshot?(snapshotId: string): Promise<void>;
  /**
   * ReInitDisk: drops the disk's bytes (the instance is Stopped); the next ensureCreated builds the
   * disk anew from its image, its source snapshot, or empty, at its current size.
   */
  discardDisk?(diskId: string): Promise<void>;
  /**
   * AttachDisk (and CreateDisk with an instance) on a running guest: the driver hot-plugs the disk
   * (qemu: QMP). A stopped guest gets its disks at its next start, so drivers may do nothing then.
   */
  attachDisk?(instanceId: string, disk: GuestDisk): Promise<void>;
  /** DetachDisk: true once the guest has let go of the disk (or does not run), false while it has not yet: ask again. */
  detachDisk?(instanceId: string, diskId: string): Promise<boolean>;
  /**
   * AttachNetworkInterface: the driver gives the guest a NIC with the ENI's MAC on the ENI's
   * VSwitch (hot-plugged into a running guest), idempotently; throws when it cannot, and the engine
   * leaves the ENI Available (not attached). A driver without this hook cannot attach ENIs.
   */
  attachNic?(instanceId: string, nic: GuestNic): Promise<void>;
  /** DetachNetworkInterface: true once the guest has let go of the NIC (or does not run), false while it has not yet: ask again. */
  detachNic?(instanceId: string, eniId: string): Promise<boolean>;
  /**
   * Removes the bytes of disks the store no longer has (DeleteDisk, released with their instance).
   * An instance's destroy() leaves its disks alone: a data disk with DeleteWithInstance=false
   * outlives it, and only the store knows which. `live` was read at `asOf` (epoch ms): a file
   * written since may be a disk created meanwhile and is kept.
   */
  collectDisks?(live: ReadonlySet<string>, asOf?: number): Promise<void>;
  /** ResetDisk: the disk's bytes become the snapshot's (the instance is Stopped); O(1) for qcow2 (a new overlay). */
  resetDisk?(diskId: string, snapshotId: string): Promise<void>;
  /** Whether the guest has finished booting (qemu: its READY marker); Starting → Running waits for it when present. */
  ready?(instanceId: string): Promise<boolean>;
  /** Enforces security groups on the wire (qemu with netns): every live NIC, and the member addresses of every group. */
  applySecurityPolicy?(nics: NicSecurityPolicy[], members: Record<string, string[]>): Promise<void>;
  /** Puts the associated EIPs on the wire (qemu with netns, src/network/eip-wire.ts): 1:1 NAT and each one's bandwidth. */
  applyEipWire?(mappings: EipMapping[]): Promise<void>;
  /**
   * Outbound bytes per public address on the wire (qemu with netns: the tally of the EIP wire's
   * per-address classes, src/network/eip-traffic.ts), read-only; the meter bills PayByTraffic
   * addresses by their delta. Absent (sim): no traffic is metered.
   */
  publicTrafficCounters?(): Promise<TrafficCounter[]>;
  /** Puts the VPCs' custom route entries on the wire (qemu with netns, src/network/route-wire.ts): each with its next hop's address. */
  applyRouteWire?(entries: WireEntry[], vswitches: { vpcId: string; cidr: string }[]): Promise<void>;
  /** Gives the VPC bridges their VSwitches' IPv6 gateways (qemu with netns, src/network/ipv6-wire.ts); every VSwitch, `ipv6Cidr` '' without IPv6. */
  applyIpv6Wire?(vswitches: { vpcId: string; ipv6Cidr: string }[]): Promise<void>;
  /** A one-time WebSocket URL to the instance's VNC console (qemu), valid for a few seconds. */
  vncUrl?(instanceId: string): Promise<string>;
  /** The settings a running guest has (see GuestSettings); undefined when it does not run: its next start applies them from the GuestSpec. */
  guestSettings?(instanceId: string): Promise<GuestSettings | undefined>;
  /**
   * Sets a running guest's VNC password (sealed, as stored) and records it; idempotent, and a
   * guest that does not run is left alone (start applies `GuestSpec.vncPasswordSealed`).
   */
  setVncPassword?(instanceId: string, passwordSealed: string): Promise<void>;
  /**
   * ModifyInstanceMetadataOptions and tag changes: a running guest's metadata service follows the
   * options of `generation` (qemu), and the driver records that generation; `tags` is what it serves
   * under meta-data/tags/instance/ (absent: not served), `spotTerminationTime` a spot instance's
   * interruption notice (absent: none). Idempotent; throws when it could not.
   */
  setMetadataOptions?(instanceId: string, generation: number, options: MetadataOptions, tags?: Record<string, string>, spotTerminationTime?: string): Promise<void>;
  /** Monitoring samples of the instance since `since` (epoch ms), oldest first. */
  monitorSamples?(instanceId: string, since: number): Promise<MonitorSample[]>;
  /** What this driver has on the host now, for the invariant checker (src/engine/invariants.ts). */
  hostInventory?(): Promise<HostInventory>;
}

/**
 * What a driver with host state has made, as found on the host (processes from /proc, links
 * and nftables from the namespace, files from the data dir), not as it remembers it.
 */
export interface HostInventory {
  /** Guest processes per instance id: a guest with two is a defect. */
  guestProcesses: Record<string, number[]>;
  /** Instance ids with a folder of state, with a tap. */
  instanceDirs: string[];
  taps: string[];
  /** Disk ids with a file; snapshot ids with a file (live ones, not those kept marked deleted). */
  diskFiles: string[];
  snapshotFiles: string[];
  /** Snapshot files marked deleted that no disk or snapshot is backed by any more (should have been removed). */
  unusedDeletedSnapshotFiles: string[];
  /** Set and chain names in this host's nftables table (src/network/nft-compiler.ts). */
  nftSets: string[];
  nftChains: string[];
  /** The instance network: its helpers' processes, the guests running in it (any data dir), and whether dnsmasq is installed. */
  network: 'netns' | 'user' | 'none';
  dnsmasq: number[];
  metadataHelpers: number[];
  namespaceGuests: number;
  dnsmasqInstalled: boolean;
}
