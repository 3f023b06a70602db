/** The wizard's form values and how they become RunInstances parameters. */
import type { ApiRequest, TagParam } from '../../api/types';

export interface DataDiskValue { Category: string; Size: number; DeleteWithInstance: boolean }

export interface WizardValues {
  ZoneId: string;
  InstanceType: string;
  ImageId: string;
  SystemDiskCategory: string;
  SystemDiskSize: number;
  DataDisk?: DataDiskValue[];
  VpcId?: string;
  VSwitchId: string;
  SecurityGroupId: string;
  InternetMaxBandwidthOut?: number;
  login: 'password' | 'keypair' | 'later';
  Password?: string;
  KeyPairName?: string;
  InstanceName?: string;
  HostName?: string;
  Description?: string;
  UserData?: string;
  Tag?: TagParam[];
  Amount: number;
}

/** UserData travels base64-encoded (RunInstances docs), from UTF-8 text here. */
export function base64Utf8(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function runInstancesParams(region: string, v: WizardValues): ApiRequest<'RunInstances'> {
  return {
    RegionId: region,
    ZoneId: v.ZoneId,
    InstanceType: v.InstanceType,
    ImageId: v.ImageId,
    'SystemDisk.Category': v.SystemDiskCategory,
    // The spec lists the system disk's fields flat, as strings (the real API's own metadata).
    'SystemDisk.Size': String(v.SystemDiskSize),
    DataDisk: (v.DataDisk ?? []).map((d) => ({ Category: d.Category, Size: d.Size, DeleteWithInstance: d.DeleteWithInstance })),
    VSwitchId: v.VSwitchId,
    SecurityGroupId: v.SecurityGroupId,
    InternetMaxBandwidthOut: v.InternetMaxBandwidthOut || undefined,
    Password: v.login === 'password' ? v.Password : undefined,
    KeyPairName: v.login === 'keypair' ? v.KeyPairName : undefined,
    InstanceName: v.InstanceName,
    HostName: v.HostName,
    Description: v.Description,
    UserData: v.UserData ? base64Utf8(v.UserData) : undefined,
    Tag: (v.Tag ?? []).filter((t) => t?.Key),
    Amount: v.Amount,
  };
}
