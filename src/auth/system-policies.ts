/**
 * RAM system policies: provided by Alibaba Cloud, the same in every account, read-only (version
 * v1, PolicyType System). The statements are the ones the ECS documentation prints for the ECS
 * policies (help/doc-detail/273911) and the RAM console shows for the others; the guide names
 * them in 001 §3 and 003 §3. OpenECS serves only the products it runs, so a policy of another
 * product would grant nothing here and is not listed.
 */
export interface SystemPolicy {
  name: string;
  description: string;
  document: string;
  createdAt: string;
  updatedAt: string;
}

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
}

function doc(...statements: Statement[]): string {
  return JSON.stringify({ Version: '1', Statement: statements }, null, 2);
}

const allow = (Action: string | string[]): Statement => ({ Action, Resource: '*', Effect: 'Allow' });

const LIST: Omit<SystemPolicy, 'createdAt' | 'updatedAt'>[] = [
  { name: 'AdministratorAccess', description: '管理所有阿里云资源的权限', document: doc(allow('*')) },
  {
    name: 'ReadOnlyAccess', description: '只读访问所有阿里云资源的权限',
    document: doc(allow(['*:Describe*', '*:List*', '*:Get*', '*:BatchGet*', '*:Query*', '*:BatchQuery*'])),
  },
  {
    name: 'AliyunECSFullAccess', description: '管理云服务器服务(ECS)的权限',
    document: doc(allow('ecs:*'), allow(['vpc:DescribeVpcs', 'vpc:DescribeVSwitches'])),
  },
  {
    name: 'AliyunECSReadOnlyAccess', description: '只读访问云服务器服务(ECS)的权限',
    document: doc(allow('ecs:Describe*'), allow('ecs:List*'), allow(['vpc:DescribeVpcs', 'vpc:DescribeVSwitches'])),
  },
  {
    name: 'AliyunECSNetworkInterfaceManagementAccess', description: 'ECS弹性网卡管理权限',
    document: doc(allow(['vpc:DescribeVSwitchAttributes']), allow([
      'ecs:CreateNetworkInterface', 'ecs:DeleteNetworkInterface', 'ecs:DescribeNetworkInterfaces',
      'ecs:CreateNetworkInterfacePermission', 'ecs:DescribeNetworkInterfacePermissions', 'ecs:DeleteNetworkInterfacePermission',
    ])),
  },
  { name: 'AliyunVPCFullAccess', description: '管理专有网络(VPC)的权限', document: doc(allow('vpc:*')) },
  {
    name: 'AliyunVPCReadOnlyAccess', description: '只读访问专有网络(VPC)的权限',
    document: doc(allow(['vpc:Describe*', 'vpc:List*', 'vpc:Get*'])),
  },
  { name: 'AliyunRAMFullAccess', description: '管理访问控制(RAM)的权限，即管理用户以及授权的权限', document: doc(allow('ram:*')) },
  { name: 'AliyunRAMReadOnlyAccess', description: '只读访问访问控制(RAM)的权限，即查看用户、组以及授权信息的权限', document: doc(allow(['ram:Get*', 'ram:List*'])) },
  { name: 'AliyunSTSAssumeRoleAccess', description: '调用STS服务AssumeRole接口的权限', document: doc(allow('sts:AssumeRole')) },
  {
    name: 'AliyunBSSOrderAccess', description: '在费用中心(BSS)查看订单、支付订单及取消订单的权限',
    document: doc(allow(['bss:DescribeOrderList', 'bss:DescribeOrderDetail', 'bss:PayOrder', 'bss:CancelOrder'])),
  },
];

const STAMP = '2015-04-28T08:55:35Z';
export const SYSTEM_POLICIES: ReadonlyMap<string, SystemPolicy> = new Map(
  LIST.map((p) => [p.name, { ...p, createdAt: STAMP, updatedAt: STAMP }]),
);

export function systemPolicy(name: string): SystemPolicy | undefined {
  return SYSTEM_POLICIES.get(name);
}
