/**
 * Default per-account quotas of block storage and images. The root account changes them per
 * account (SetAccountQuota, the guide's "request an increase via ticket"); the names below are
 * the keys in the `quotas` table.
 */
export const STORAGE_QUOTAS = {
  /** 000:L145, L1325 "64 snapshots per disk" (SPEC.md keeps the guide's number). */
  'snapshots-per-disk': 64,
  /** SPEC.md: 100 automatic snapshot policies per region (002 supersedes 000:L1294's 3). */
  'auto-snapshot-policies-per-region': 100,
  /** SPEC.md: 30 custom images per region (000:L148). */
  'images-per-region': 30,
  /** 004:L21, 000:L1637: accounts one image is shared with. */
  'accounts-per-shared-image': 50,
  /** 004:L19, 000:L1636: images shared to one account (per region, catalog-other-seeds A.8). */
  'shared-images-per-account': 30,
  /** 000:L792: cloud disks per account. */
  'disks-per-account': 250,
} as const;

export type StorageQuota = keyof typeof STORAGE_QUOTAS;

/** ModifyImageSharePermission: AddAccount.N / RemoveAccount.N take at most 10 each per call. */
export const MAX_SHARE_ACCOUNTS_PER_CALL = 10;

/** Retention days: 1–65536 for snapshots (CreateSnapshot), 1–65535 or -1 (forever) for policies. */
export const MAX_SNAPSHOT_RETENTION_DAYS = 65536;
export const MAX_POLICY_RETENTION_DAYS = 65535;

export function isValidSnapshotRetention(days: number): boolean {
  return Number.isInteger(days) && days >= 1 && days <= MAX_SNAPSHOT_RETENTION_DAYS;
}

export function isValidPolicyRetention(days: number): boolean {
  return Number.isInteger(days) && (days === -1 || (days >= 1 && days <= MAX_POLICY_RETENTION_DAYS));
}

export const DAY_MS = 86_400_000;

/** When a snapshot made at `createdAt` with `retentionDays` expires (null: kept until deleted). */
export function expiryOf(createdAt: number, retentionDays: number | null | undefined): number | null {
  if (retentionDays === null || retentionDays === undefined || retentionDays <= 0) return null;
  return createdAt + retentionDays * DAY_MS;
}
