/**
 * The compute driver contract. Drivers are told what to do and report what is; the database
 * holds the truth, so every call is idempotent and a restarted server simply tells them again.
 */
export type PowerState = 'running' | 'stopped' | 'absent';

export interface GuestDisk {
  diskId: string;
  type: 'system' | 'data';
  sizeGiB: number;
  device: string;
  imageId: string;
  snapshotId: string;
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
  /** The vSwitch CIDR, so the guest gets the right prefix and gateway (default: the /24 around privateIp). */
  vswitchCidr?: string;
}

export interface ComputeDriver {
  readonly name: string;
  /** The least time a power transition takes; the sim driver's configured delay. */
  readonly transitionMs: number;
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
}
