/**
 * The typed database schema: one interface per table, in the words of the ECS documents.
 * Times are epoch milliseconds (INTEGER) so SQLite and PostgreSQL compare them alike;
 * booleans are 0/1.
 */
import type { Generated } from 'kysely';

export interface AccountTable {
  id: string; // the 16-digit Alibaba Cloud account id (AliyunId)
  name: string;
  is_admin: number; // the operator's root account may create accounts and change quotas
  created_at: number;
}

export interface AccessKeyTable {
  id: string;
  secret: string;
  account_id: string;
  status: string; // Active | Inactive
  created_at: number;
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
  created_at: number;
}

/** Private addresses handed out from a VSwitch; the primary key makes allocation race-free. */
export interface PrivateIpTable {
  vswitch_id: string;
  ip: string;
  instance_id: string;
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
}

export interface InstanceSecurityGroupTable {
  instance_id: string;
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
  encrypted: number;
  portable: number;
  resource_group_id: string;
  created_at: number;
  attached_at: number | null;
  detached_at: number | null;
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

export interface Database {
  accounts: AccountTable;
  access_keys: AccessKeyTable;
  quotas: QuotaTable;
  vpcs: VpcTable;
  vswitches: VSwitchTable;
  private_ips: PrivateIpTable;
  security_groups: SecurityGroupTable;
  instances: InstanceTable;
  instance_security_groups: InstanceSecurityGroupTable;
  disks: DiskTable;
  tags: TagTable;
  operations: OperationTable;
  idempotency: IdempotencyTable;
  transitions: TransitionTable;
}
