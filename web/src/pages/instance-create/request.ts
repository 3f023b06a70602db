/** The wizard's form values and how they become RunInstances parameters. */
// With the extension: the server's tsc follows this file too (test/unit/console-lists.test.ts imports it).
import type { ApiRequest, TagParam } from '../../api/types.js';

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
  InstanceChargeType: 'PostPaid' | 'PrePaid';
  Period?: number;
  PeriodUnit?: 'Month' | 'Week';
  AutoRenew?: boolean;
  AutoRenewPeriod?: number;
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
    // The period fields are a subscription's only: the server refuses them for pay-as-you-go.
    ...(v.InstanceChargeType === 'PrePaid' ? {
      InstanceChargeType: 'PrePaid', Period: v.Period, PeriodUnit: v.PeriodUnit,
      AutoRenew: v.AutoRenew || undefined, AutoRenewPeriod: v.AutoRenew ? v.AutoRenewPeriod : undefined,
    } : { InstanceChargeType: 'PostPaid' }),
  };
}

/**
 * DescribePrice for what the wizard would launch. Pay-as-you-go is priced per hour; a
 * subscription for its period, where whole years of months go as PriceUnit Year (DescribePrice
 * takes Month 1–9, Year 1–5, Week 1–4).
 */
export function describePriceParams(region: string, v: Partial<WizardValues>): ApiRequest<'DescribePrice'> {
  const unit = v.PeriodUnit ?? 'Month';
  const period = v.Period ?? 1;
  const term = v.InstanceChargeType !== 'PrePaid' ? { PriceUnit: 'Hour', Period: 1 }
    : unit === 'Month' && period >= 12 && period % 12 === 0 ? { PriceUnit: 'Year', Period: period / 12 }
      : { PriceUnit: unit, Period: period };
  return {
    RegionId: region,
    ResourceType: 'instance',
    ZoneId: v.ZoneId,
    InstanceType: v.InstanceType,
    'SystemDisk.Category': v.SystemDiskCategory,
    'SystemDisk.Size': v.SystemDiskSize,
    DataDisk: (v.DataDisk ?? []).filter((d) => d?.Category && d.Size).map((d) => ({ Category: d.Category, Size: d.Size })),
    InternetMaxBandwidthOut: v.InternetMaxBandwidthOut || undefined,
    Amount: v.Amount || 1,
    ...term,
  };
}
