/**
 * The typed database schema: one interface per table, in the words of the ECS documents.
 * Times are epoch milliseconds (INTEGER) so SQLite and PostgreSQL compare them alike;
 * booleans are 0/1.
 */
import type { ColumnType, Generated } from 'kysely';

export interface AccountTable {
  id: string; // the 16-digit Alibaba Cloud account id (AliyunId)
  name: string;
  is_admin: number; // the operator's root account may create accounts and change quotas
  created_at: number;
}

export interface AccessKeyTable {
  id: string;
  /** Sealed with the server key (src/auth/secrets.ts); opened only to check a signature. */
  secret: string;
  account_id: string;
  status: string; // Active | Inactive
  created_at: number;
  user_id: ColumnType<string, string | undefined, string>; // the RAM user owning the key; '' for the account's own
}

/** A RAM user (RAM 2015-05-01); the name is unique within its account. */
export interface RamUserTable {
  id: string; // UserId: 16 digits
  account_id: string;
  name: string;
  display_name: string;
  mobile_phone: string;
  email: string;
  comments: string;
  created_at: number;
  updated_at: number;
  last_login_at: number;
}

/** A RAM user's console password: an scrypt hash `scrypt$<salt>$<hash>`, never the password. */
export interface RamLoginProfileTable {
  user_id: string;
  account_id: string;
  password_hash: string;
  password_reset_required: number;
  mfa_bind_required: number;
  created_at: number;
  updated_at: number;
}

export interface RamGroupTable {
  id: string;
  account_id: string;
  name: string;
  comments: string;
  created_at: number;
  updated_at: number;
}

export interface RamGroupMemberTable {
  group_id: string;
  user_id: string;
  account_id: string;
  joined_at: number;
}

export interface RamRoleTable {
  id: string; // RoleId: 19 digits
  account_id: string;
  name: string;
  description: string;
  trust_policy: string; // AssumeRolePolicyDocument, as given
  max_session_duration: number; // seconds, 3600..43200
  created_at: number;
  updated_at: number;
}

/** A custom policy (system policies live in code: src/auth/system-policies.ts). */
export interface RamPolicyTable {
  account_id: string;
  name: string;
  description: string;
  default_version: string; // v1, v2, ...
  next_version: number;
  created_at: number;
  updated_at: number;
}

export interface RamPolicyVersionTable {
  account_id: string;
  policy_name: string;
  version_id: string;
  document: string;
  created_at: number;
}

/** A policy (System or Custom, by name) attached to a user, group or role (by id). */
export interface RamPolicyAttachmentTable {
  account_id: string;
  policy_type: string; // System | Custom
  policy_name: string;
  principal_type: string; // User | Group | Role
  principal_id: string;
  attached_at: number;
}

export interface RamAccountSettingsTable {
  account_id: string;
  alias: string;
  password_policy: string; // JSON of the PasswordPolicy fields set, '' for the defaults
  /** JSON of the SecurityPreference fields set, '' for the defaults (migration 0029). */
  security_preference: ColumnType<string, string | undefined, string>;
}

/** When a permanent AccessKey last signed a call, and the service it called (GetAccessKeyLastUsed). */
export interface AccessKeyUsageTable {
  access_key_id: string;
  last_used_at: number;
  service: string;
}

/** A tag of a RAM role or policy (ResourceType role | policy), keyed by its ARN. */
export interface RamTagTable {
  account_id: string;
  resource_type: string;
  resource_arn: string;
  resource_name: string;
  key: string;
  value: string;
}

/** Temporary credentials of an assumed role (STS AssumeRole), seen by every replica. */
export interface StsSessionTable {
  access_key_id: string; // STS.…
  /** The secret and the SecurityToken, sealed with the server key. */
  secret: string;
  security_token: string;
  account_id: string;
  role_id: string;
  role_name: string;
  session_name: string;
  policy: string; // the narrowing Policy given to AssumeRole, '' for none
  created_at: number;
  expires_at: number;
  /** The instance whose RAM role the metadata service issued this session for, '' for AssumeRole's. */
  instance_id: ColumnType<string, string | undefined, string>;
}

export interface QuotaTable {
  account_id: string;
  name: string;
  value: number;
}

export interface VpcTable {
  id: string;
  account_id: string;
  region_id: string;
  name: string;
  description: string;
  cidr_block: string;
  status: string; // Pending | Available
  is_default: number;
  vrouter_id: string;
  resource_group_id: string;
  created_at: number;
  /** The VPC's one vRouter (ModifyVRouterAttribute). */
  vrouter_name: ColumnType<string, string | undefined, string>;
  vrouter_description: ColumnType<string, string | undefined, string>;
  /** UserCidr: comma-separated, at most 3. */
  user_cidrs: ColumnType<string, string | undefined, string>;
  /** AssociateVpcCidrBlock: comma-separated IPv4 blocks, oldest first. */
  secondary_cidr_blocks: ColumnType<string, string | undefined, string>;
  /** The VPC's IPv6 /56 (EnableIpv6), '' while IPv6 is off. */
  ipv6_cidr_block: ColumnType<string, string | undefined, string>;
}

/** A VPC's route tables: today the system one every VPC gets with its vRouter. */
export interface RouteTableTable {
  id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  vrouter_id: string;
  type: string; // System
  name: string;
  description: string;
  route_propagation_enable: number;
  created_at: number;
}

/** Custom route entries (the System ones follow from the VSwitches and are not stored). */
export interface RouteEntryTable {
  id: string;
  route_table_id: string;
  destination_cidr_block: string;
  type: string; // Custom
  next_hop_type: string; // Instance
  next_hop_id: string;
  name: string;
  description: string;
  status: string; // Available
  created_at: number;
}

export interface VSwitchTable {
  id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  zone_id: string;
  name: string;
  description: string;
  cidr_block: string;
  status: string; // Pending | Available
  is_default: number;
  /** Its own group (MoveResourceGroup VSwitch); '' on insert means "the VPC's group", which readers show. */
  resource_group_id: ColumnType<string, string | undefined, string>;
  created_at: number;
  /** The VSwitch's IPv6 /64 inside its VPC's /56, '' while IPv6 is off. */
  ipv6_cidr_block: ColumnType<string, string | undefined, string>;
  /** Every usable address below it is taken; null: not known (migration 0040). */
  private_ips_free_from: ColumnType<number | null, number | null | undefined, number | null>;
}

/** An ENI's IPv6 addresses (canonical compressed lowercase); `address` is unique. */
export interface Ipv6AddressTable {
  address: string;
  network_interface_id: string;
  vswitch_id: string;
  account_id: string;
  created_at: number;
}

/** Private addresses handed out from a VSwitch; the primary key makes allocation race-free. */
export interface PrivateIpTable {
  vswitch_id: string;
  ip: string;
  instance_id: string;
  /** '' for an instance's primary address; the ENI's id for a secondary address (AssignPrivateIpAddresses). */
  network_interface_id: ColumnType<string, string | undefined, string>;
}

export interface SecurityGroupTable {
  id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  name: string;
  description: string;
  type: string; // normal | enterprise
  inner_access_policy: string; // Accept | Drop
  resource_group_id: string;
  created_at: number;
}

/** One rule of a security group, in the API's words (AuthorizeSecurityGroup); '' where unset. */
export interface SecurityGroupRuleTable {
  id: string; // sgr-...
  account_id: string;
  region_id: string;
  security_group_id: string;
  seq: number; // creation order within the group
  direction: string; // ingress | egress
  ip_protocol: string; // tcp | udp | icmp | icmpv6 | gre | all
  port_range: string;
  source_port_range: string;
  policy: string; // accept | drop
  priority: number; // 1 (highest) .. 100
  nic_type: string; // intranet | internet
  source_cidr_ip: string;
  ipv6_source_cidr_ip: string;
  source_group_id: string;
  source_group_owner_id: string;
  source_prefix_list_id: string;
  dest_cidr_ip: string;
  ipv6_dest_cidr_ip: string;
  dest_group_id: string;
  dest_group_owner_id: string;
  dest_prefix_list_id: string;
  description: string;
  created_at: number;
}

export interface InstanceTable {
  id: string;
  account_id: string;
  region_id: string;
  zone_id: string;
  name: string;
  description: string;
  host_name: string;
  instance_type: string;
  cpu: number;
  memory: number; // MiB
  image_id: string;
  os_type: string;
  os_name: string;
  status: string; // Pending | Starting | Running | Stopping | Stopped
  /** What the user asked for; the reconciler moves status toward it. */
  desired_status: string; // Running | Stopped | Deleted
  status_changed_at: number;
  vpc_id: string;
  vswitch_id: string;
  private_ip: string;
  public_ip: string;
  key_pair_name: string;
  /** Password sealed with the server key (AES-GCM), so a real guest can be given it; never returned. */
  password_sealed: string;
  user_data: string;
  instance_charge_type: string;
  internet_charge_type: string;
  internet_max_bandwidth_out: number;
  internet_max_bandwidth_in: number;
  deletion_protection: number;
  auto_release_time: number | null;
  stopped_mode: string;
  credit_specification: string;
  serial_number: string;
  resource_group_id: string;
  created_at: number;
  started_at: number | null;
  deleted_at: number | null;
  /** ModifyInstanceMetadataOptions: enabled | disabled; optional | required (security hardening mode); 1-64. */
  metadata_http_endpoint: string;
  metadata_http_tokens: string;
  metadata_hop_limit: number;
  metadata_tags: string; // enabled | disabled (InstanceMetadataTags)
  /** The VNC password sealed with the server key ('' until ModifyInstanceVncPasswd); the engine applies it to the guest. */
  vnc_password_sealed: ColumnType<string, string | undefined, string>;
  /** Bumped by every change the metadata service must serve (options, tags); the engine pushes when the guest's is behind. */
  metadata_generation: ColumnType<number, number | undefined, number>;
  /** Moved by a trigger on every UPDATE of the row (migration 0035): DescribeInstances renders again only what moved. */
  row_version: ColumnType<number, number | undefined, number>;
  /** ModifyInstanceMaintenanceAttributes: one window (HH:mm:ss, UTC+8, as given; '' = none), Stop | AutoRecover | AutoRedeploy, 0/1. */
  maintenance_start_time: ColumnType<string, string | undefined, string>;
  maintenance_end_time: ColumnType<string, string | undefined, string>;
  maintenance_action: ColumnType<string, string | undefined, string>;
  maintenance_notify: ColumnType<number, number | undefined, number>;
  /** ModifyInstanceAttachmentAttributes: Open | Target | None, and the pool of Target. */
  private_pool_match_criteria: ColumnType<string, string | undefined, string>;
  private_pool_id: ColumnType<string, string | undefined, string>;
  /** EnableJumboFrame (src/domain/instances/jumbo-frames.ts), 0/1. */
  enable_jumbo_frame: ColumnType<number, number | undefined, number>;
  /** PrePaid (src/domain/instances/subscription.ts): the end of the period bought; null for pay-as-you-go. */
  expires_at: ColumnType<number | null, number | null | undefined, number | null>;
  renewal_status: ColumnType<string, string | undefined, string>; // AutoRenewal | Normal | NotRenewal ('' pay-as-you-go)
  renewal_duration: ColumnType<number, number | undefined, number>;
  renewal_unit: ColumnType<string, string | undefined, string>; // Month | Week
  /** When the instance was stopped for expiry (the `financial` lock, released 15 days later); null otherwise (migration 0028). */
  expiry_stopped_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** 0/1: it was running when stopped for expiry, so a renewal starts it again. */
  expiry_restart: ColumnType<number, number | undefined, number>;
  /** Renewal for configuration downgrade (migration 0039): the type planned ('' none) and when the renewed period starts (null none). */
  renew_downgrade_type: ColumnType<string, string | undefined, string>;
  renew_downgrade_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** ForceStop / ForceReboot of the last power action (0/1): the reconciler's next stop pulls the plug, then clears it. */
  force_stop: ColumnType<number, number | undefined, number>;
  /** The instance RAM role (AttachInstanceRamRole, RunInstances RamRoleName), '' for none; its credentials: src/auth/instance-credentials.ts. */
  ram_role_name: ColumnType<string, string | undefined, string>;
  /** AttachInstanceRamRole's `Policy`: narrows the role's credentials the instance is handed, '' for none (migration 0029). */
  ram_role_policy: ColumnType<string, string | undefined, string>;
  /** Spot instances (migration 0032, src/domain/instances/spot.ts): NoSpot | SpotWithPriceLimit | SpotAsPriceGo. */
  spot_strategy: ColumnType<string, string | undefined, string>;
  /** SpotWithPriceLimit's hourly bid (CNY), 0 otherwise. */
  spot_price_limit: ColumnType<number, number | undefined, number>;
  /** Hours after creation during which the market does not interrupt it (0-6). */
  spot_duration: ColumnType<number, number | undefined, number>;
  /** Terminate | Stop: what the interruption does. */
  spot_interruption_behavior: ColumnType<string, string | undefined, string>;
  /** The interruption notice's termination time (metadata `instance/spot/termination-time`); null: none under way. */
  spot_termination_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/**
 * A network interface. Every instance has its primary one (type Primary, device 0, deleted with
 * the instance); `instance_id` is '' for a detached secondary one (issue 14). The primary ENI's
 * security groups are the instance's (instance_security_groups) and its resource group the instance's.
 */
export interface NetworkInterfaceTable {
  id: string; // eni-...
  account_id: string;
  region_id: string;
  zone_id: string;
  vpc_id: string;
  vswitch_id: string;
  instance_id: string;
  type: string; // Primary | Secondary
  status: string; // Available | Attaching | InUse | Detaching | Deleting
  name: string;
  description: string;
  mac_address: string;
  primary_ip: string;
  traffic_mode: string; // Standard | HighPerformance
  resource_group_id: string;
  device_index: number;
  network_card_index: number;
  queue_number: number;
  queue_pair_number: number;
  source_dest_check: number;
  delete_on_release: number;
  created_at: number;
}

/** A public address from the operator's pool (src/domain/public-ip-pool.ts); the primary key keeps it unique. */
export interface PublicIpTable {
  ip: string;
  account_id: string;
  region_id: string;
  instance_id: string;
  kind: string; // instance (a NAT public IP of an instance; instance_id its instance) | eip (instance_id the EIP's allocation id)
  allocated_at: number;
}

/** Migration 0036: elastic IP addresses (src/store/eips.ts). */
export interface EipTable {
  id: string; // eip-...
  account_id: string;
  region_id: string;
  ip_address: string;
  name: string;
  description: string;
  bandwidth: number;
  internet_charge_type: string; // PayByBandwidth | PayByTraffic
  charge_type: string; // PostPaid
  isp: string; // BGP
  status: string; // Available | Associating | InUse | Unassociating | Releasing
  instance_id: string;
  instance_type: string; // EcsInstance | NetworkInterface, '' when Available
  private_ip: string; // the ENI's address a NetworkInterface EIP maps to, '' otherwise
  resource_group_id: string;
  deletion_protection: number; // 0 | 1
  created_at: number; // AllocationTime
}

export interface InstanceSecurityGroupTable {
  instance_id: string;
  security_group_id: string;
  position: number;
}

/** CreateNetworkInterfacePermission: `grantee_account_id` may attach the ENI (InstanceAttach) to its instances. */
export interface EniPermissionTable {
  id: string; // eni-perm-...
  account_id: string;
  region_id: string;
  network_interface_id: string;
  grantee_account_id: string;
  permission: string; // InstanceAttach
  state: string; // Granted
  created_at: number;
}

/** A secondary ENI's security groups (a primary ENI follows its instance's). */
export interface EniSecurityGroupTable {
  network_interface_id: string;
  security_group_id: string;
  position: number;
}

export interface DiskTable {
  id: string;
  account_id: string;
  region_id: string;
  zone_id: string;
  instance_id: string;
  type: string; // system | data
  category: string;
  size: number; // GiB
  name: string;
  description: string;
  status: string; // Creating | Available | Attaching | In_use | Detaching | ReIniting
  device: string;
  delete_with_instance: number;
  delete_auto_snapshot: number;
  enable_auto_snapshot: number;
  image_id: string;
  source_snapshot_id: string;
  performance_level: string;
  /** ESSD AutoPL (cloud_auto) only: provisioned IOPS beyond the baseline, and the burst switch. */
  provisioned_iops: ColumnType<number, number | undefined, number>;
  bursting_enabled: ColumnType<number, number | undefined, number>;
  encrypted: number;
  portable: number;
  resource_group_id: string;
  created_at: number;
  attached_at: number | null;
  detached_at: number | null;
  /** ResetDisk's snapshot until the driver has rolled the bytes back ('' = none; migration 0013). */
  reset_snapshot_id: ColumnType<string, string | undefined, string>;
  /** The size (GiB) the bytes had before a ResizeDisk the driver has not applied yet (0 = none). */
  resize_from: ColumnType<number, number | undefined, number>;
  /** PostPaid | PrePaid (DiskChargeType; ModifyDiskChargeType), and when ModifyDiskChargeType last changed it (migration 0028). */
  charge_type: ColumnType<string, string | undefined, string>;
  charge_type_changed_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface TagTable {
  account_id: string;
  region_id: string;
  resource_type: string; // instance | disk | snapshot | image | securitygroup | keypair | ...
  resource_id: string;
  key: string;
  value: string;
}

/** A durable unit of background work; the engine retries it until its reconciler reports done. */
export interface OperationTable {
  id: Generated<number>;
  kind: string;
  resource_id: string;
  account_id: string;
  status: string; // pending | done | failed
  payload: string; // JSON
  due_at: number;
  attempts: number;
  error: string;
  created_at: number;
  updated_at: number;
  /** The replica running it now and until when (database-clock ms); '' / 0 when nobody holds it. */
  lease_owner: ColumnType<string, string | undefined, string>;
  lease_until: ColumnType<number, number | undefined, number>;
  /** Bumped by every request for it: a run that began before a request does not mark it done. */
  generation: ColumnType<number, number | undefined, number>;
}

/** A named lease (src/engine/leadership.ts): which replica does a cluster-wide job, until when (database-clock ms). */
export interface EngineLeaseTable {
  name: string;
  owner: string;
  lease_until: number;
}

export interface IdempotencyTable {
  account_id: string;
  action: string;
  client_token: string;
  params_hash: string;
  response: string; // JSON
  created_at: number;
}

/** Every status change a reconciler or handler made, for audit and tests. */
export interface TransitionTable {
  id: Generated<number>;
  resource_id: string;
  from_status: string;
  to_status: string;
  at: number;
}

/** A disk snapshot (manual `user` or policy-made `auto`); progress is derived from created_at → completes_at. */
export interface SnapshotTable {
  id: string;
  account_id: string;
  region_id: string;
  name: string;
  description: string;
  source_disk_id: string;
  source_disk_type: string; // system | data
  source_disk_category: string;
  source_disk_size: number;
  source_instance_id: string;
  type: string; // user | auto
  status: string; // progressing | accomplished | failed
  policy_id: string;
  /** The image that made this snapshot (CreateImage from an instance, CopyImage), if any. */
  image_id: string;
  /** CopySnapshot / CopyImage: where the copy came from. */
  source_snapshot_id: string;
  source_region_id: string;
  retention_days: number; // 0 = kept until deleted
  category: ColumnType<string, string | undefined, string>; // standard | flash
  encrypted: number;
  resource_group_id: string;
  created_at: number;
  completes_at: number;
  modified_at: number;
  expires_at: number | null;
  /** When the driver froze the bytes (null: not yet, or a copy sharing its source's; migration 0013). */
  taken_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/** An automatic snapshot policy; `next_run_at` is when the scheduler next looks at it. */
export interface AutoSnapshotPolicyTable {
  id: string;
  account_id: string;
  region_id: string;
  name: string;
  time_points: string; // JSON array of hours, UTC+8
  repeat_weekdays: string; // JSON array, 1 = Monday
  retention_days: number; // -1 = forever
  resource_group_id: string;
  created_at: number;
  next_run_at: number;
  /** Automatic snapshots are copied to `target_copy_regions` (JSON array) when they finish. */
  enable_cross_region_copy: ColumnType<number, number | undefined, number>;
  target_copy_regions: ColumnType<string, string | undefined, string>;
  copied_snapshots_retention_days: ColumnType<number, number | undefined, number>; // -1 = forever
  copy_encrypted: ColumnType<number, number | undefined, number>;
  copy_kms_key_id: ColumnType<string, string | undefined, string>;
}

/** Which policy a disk uses (a disk has at most one, 000:L1390). */
export interface DiskPolicyTable {
  disk_id: string;
  policy_id: string;
  account_id: string;
}

/** One disk device mapping of a custom image (DiskDeviceMapping), `position` in ECS's listing order. */
export interface ImageMappingTable {
  image_id: string;
  position: number;
  device: string;
  type: string; // system | data
  size: number; // GiB
  snapshot_id: string; // '' for an image still being imported
  format: string; // ImportImage: the source file's format, '' otherwise
  oss_bucket: string;
  oss_object: string;
}

/** A custom image; its DiskDeviceMapping list is in image_mappings. */
export interface ImageTable {
  id: string;
  account_id: string;
  region_id: string;
  name: string;
  description: string;
  family: string;
  version: string;
  os_type: string;
  os_name: string;
  os_name_en: string;
  platform: string;
  architecture: string;
  boot_mode: string;
  license_type: ColumnType<string, string | undefined, string>; // '' (none given) | BYOL
  nvme_support: ColumnType<string, string | undefined, string>; // supported | unsupported
  status: string; // Creating | Waiting | Available | UnAvailable | CreateFailed | Deprecated
  size: number;
  source_instance_id: string;
  source_image_id: string;
  source_region_id: string;
  import_task_id: string;
  is_copied: number;
  is_public: number;
  resource_group_id: string;
  created_at: number;
  completes_at: number;
  /** Soft delete, so instances made from a deleted image can tell why re-initialization fails. */
  deleted_at: number | null;
}

export interface ImageShareTable {
  image_id: string;
  account_id: string; // the receiver (AliyunId)
  owner_account_id: string;
  region_id: string;
  created_at: number;
}

/** Long-running image work tracked by DescribeTasks (ImportImage, ExportImage). */
export interface TaskTable {
  id: string;
  account_id: string;
  region_id: string;
  action: string;
  status: string; // Processing | Finished | Failed | Cancelled
  resource_id: string;
  detail: string; // JSON
  created_at: number;
  completes_at: number;
  finished_at: number;
}

/** A prefix list (CreatePrefixList): address family and MaxEntries fixed at creation. */
export interface PrefixListTable {
  id: string; // pl-…
  account_id: string;
  region_id: string;
  name: string;
  description: string;
  address_family: string; // IPv4 | IPv6
  max_entries: number;
  created_at: number;
}

/** One CIDR block of a prefix list, in its stored form (10.0.0.1 → 10.0.0.1/32), in the order added. */
export interface PrefixListEntryTable {
  prefix_list_id: string;
  cidr: string;
  description: string;
  position: number;
}

/** An SSH key pair; the private key is never stored (000:L2452). Unique by name per account and region. */
export interface KeyPairTable {
  id: string; // KeyPairId
  account_id: string;
  region_id: string;
  name: string;
  fingerprint: string; // MD5, colon-separated hex
  key_type: string; // ssh-rsa, ssh-ed25519, ssh-rsa-cert-v01@openssh.com, ...
  public_key: string; // the OpenSSH line DescribeKeyPairs shows
  authorized_key: string; // the plain key line the guest's authorized_keys gets
  resource_group_id: string;
  created_at: number;
}

/**
 * Password logon of an instance, turned off while AttachKeyPair's key pair is bound (001:L1408)
 * and on again after DetachKeyPair; no row means the instance's default. Read at the next start.
 */
export interface InstanceLogonTable {
  instance_id: string;
  password_disabled: number;
  updated_at: number;
}

/** A resource group (Resource Manager); each account has one default group (`is_default`), which cannot be deleted. */
export interface ResourceGroupTable {
  id: string; // rg-...
  account_id: string;
  name: string; // unique per account
  display_name: string;
  status: string; // OK (Creating and PendingDelete pass at once here)
  is_default: number;
  created_at: number;
}

/** A system event of an instance (src/domain/system-events.ts): simulated, or raised where the system acts. */
export interface SystemEventTable {
  id: string; // e-...
  account_id: string;
  region_id: string;
  resource_type: string; // instance
  resource_id: string; // the instance
  event_type: string; // SystemMaintenance.Reboot, InstanceExpiration.Stop, …
  cycle_status: string; // Scheduled | Executing | Executed | Avoided | Canceled | Failed | Inquiring
  simulated: number;
  reason: string;
  publish_time: number;
  not_before: number;
  execute_end: number; // when Executing turns Executed
  finish_time: number | null;
  next_at: number | null; // the next status change; null once finished
}

/** A CloudMonitor event ECS itself does not list (src/store/cms-events.ts): a spot interruption notice. Times in ms. */
export interface CmsEventTable {
  id: string;
  account_id: string;
  region_id: string;
  resource_id: string; // the instance
  instance_name: string;
  name: string; // Instance:PreemptibleInstanceInterruption
  content: string; // the event's content, JSON
  event_time: number;
}

/** A fault rule (OpenECS extension, src/faults/): an API action's injected error or latency, or a failing driver step. */
export interface FaultRuleTable {
  id: string; // fr-...
  target: string; // Api | InstanceStart | DiskAttach | SnapshotCreate | HostEvent
  product: string; // api: the product key (ecs, vpc, …) or *
  api_name: string; // api: the action, `*` matching any run of characters
  account_id: string; // api: the caller's account; '' any
  resource_id: string; // driver: the instance, disk or snapshot; '' any
  error_code: string;
  error_message: string;
  latency_ms: number;
  probability_ppm: number; // 0..1_000_000
  remaining: number; // matching calls still to fault; -1 without a count
  hits: number;
  description: string;
  created_at: number;
}

/** One recorded API call (src/audit/): what ActionTrail's LookupEvents answers. Times in ms. */
export interface AuditEventTable {
  id: string; // eventId
  account_id: string;
  event_time: number;
  event_name: string; // the action
  event_rw: string; // Read | Write
  service_name: string; // Ecs, Vpc, Ram, …
  api_version: string;
  event_source: string; // the product's endpoint host
  region: string; // acsRegion
  request_id: string;
  source_ip: string;
  user_agent: string;
  identity_type: string; // root-account | ram-user | assumed-role
  principal_id: string;
  access_key_id: string;
  user_name: string;
  session_name: string;
  request_parameters: string; // JSON, secrets masked
  http_status: number;
  error_code: string; // '' when the call succeeded
  error_message: string;
  resource_names: string; // ';i-abc;d-xyz;' or ''
  resource_types: string; // ';ACS::ECS::Instance;' or ''
}

/** The row `secrets`: the secret columns hold sealed values; `key_check` is a known text sealed under their key. */
export interface SealedStoreTable {
  name: string;
  key_check: string;
  sealed_at: number;
}

/** Metered usage (migration 0031, src/engine/metering.ts): per resource, billing item and UTC day, or per subscription purchase. */
export interface BillingUsageTable {
  id: Generated<number>;
  account_id: string;
  region_id: string;
  zone_id: string;
  resource_id: string;
  billing_item: string; // InstanceType | SystemDisk | DataDisk | InternetMaxBandwidthOut | Bandwidth (EIP) | Traffic (GB)
  subscription_type: string; // PayAsYouGo | Subscription
  spec: string;
  day: string; // yyyy-MM-dd (UTC)
  billing_cycle: string; // yyyy-MM
  usage: number;
  usage_unit: string;
  list_price: number;
  list_price_unit: string;
  original_amount: number;
  amount: number;
  start_at: number;
  end_at: number;
}

/** How far the meter has settled a resource, and up to which expiry its subscription is charged. */
export interface BillingMarkTable {
  resource_id: string;
  metered_until: number;
  subscribed_until: number | null;
}

/** A deleted pay-as-you-go disk the meter has not billed to its deletion yet (migration 0035). */
/** A released pay-as-you-go EIP kept until the meter bills its last partial hour (migration 0043). */
export interface ReleasedEipTable {
  eip_id: string;
  account_id: string;
  region_id: string;
  bandwidth: number;
  internet_charge_type: string;
  created_at: number;
  released_at: number;
}

/** The outbound byte counter of a public address the meter billed up to (migration 0043). */
export interface TrafficBaselineTable {
  address: string;
  epoch: string;
  bytes: number;
}

export interface ReleasedDiskTable {
  disk_id: string;
  account_id: string;
  region_id: string;
  zone_id: string;
  type: string; // system | data
  category: string;
  size: number;
  performance_level: string;
  created_at: number;
  released_at: number;
}

/** An account's balance adjustment and arrears (migration 0041, src/store/account-balances.ts). */
export interface AccountBalanceTable {
  account_id: string;
  adjustment: number;
  overdue_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface Database {
  account_balances: AccountBalanceTable;
  billing_usage: BillingUsageTable;
  billing_marks: BillingMarkTable;
  released_disks: ReleasedDiskTable;
  released_eips: ReleasedEipTable;
  traffic_baselines: TrafficBaselineTable;
  access_key_usage: AccessKeyUsageTable;
  sealed_store: SealedStoreTable;
  audit_events: AuditEventTable;
  fault_rules: FaultRuleTable;
  system_events: SystemEventTable;
  cms_events: CmsEventTable;
  accounts: AccountTable;
  access_keys: AccessKeyTable;
  ram_users: RamUserTable;
  ram_login_profiles: RamLoginProfileTable;
  ram_groups: RamGroupTable;
  ram_group_members: RamGroupMemberTable;
  ram_roles: RamRoleTable;
  ram_policies: RamPolicyTable;
  ram_policy_versions: RamPolicyVersionTable;
  ram_policy_attachments: RamPolicyAttachmentTable;
  ram_account_settings: RamAccountSettingsTable;
  ram_tags: RamTagTable;
  sts_sessions: StsSessionTable;
  quotas: QuotaTable;
  vpcs: VpcTable;
  vswitches: VSwitchTable;
  route_tables: RouteTableTable;
  route_entries: RouteEntryTable;
  private_ips: PrivateIpTable;
  ipv6_addresses: Ipv6AddressTable;
  security_groups: SecurityGroupTable;
  security_group_rules: SecurityGroupRuleTable;
  instances: InstanceTable;
  instance_security_groups: InstanceSecurityGroupTable;
  eni_security_groups: EniSecurityGroupTable;
  eni_permissions: EniPermissionTable;
  disks: DiskTable;
  tags: TagTable;
  operations: OperationTable;
  engine_leases: EngineLeaseTable;
  idempotency: IdempotencyTable;
  transitions: TransitionTable;
  snapshots: SnapshotTable;
  auto_snapshot_policies: AutoSnapshotPolicyTable;
  disk_policies: DiskPolicyTable;
  images: ImageTable;
  image_mappings: ImageMappingTable;
  image_shares: ImageShareTable;
  tasks: TaskTable;
  key_pairs: KeyPairTable;
  prefix_lists: PrefixListTable;
  prefix_list_entries: PrefixListEntryTable;
  instance_logon: InstanceLogonTable;
  network_interfaces: NetworkInterfaceTable;
  public_ips: PublicIpTable;
  eips: EipTable;
  resource_groups: ResourceGroupTable;
}
