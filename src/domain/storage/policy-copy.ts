/**
 * An automatic snapshot policy's cross-region copy (CreateAutoSnapshotPolicy /
 * ModifyAutoSnapshotPolicyEx): `EnableCrossRegionCopy`, `TargetCopyRegions` (a JSON array string,
 * "目前支持设置一个目标地域": one region), `CopiedSnapshotsRetentionDays` (-1 forever or 1–65,535,
 * default -1) and `CopyEncryptionConfiguration.Encrypted`. Each automatic snapshot of the policy
 * is copied to the target region when it finishes.
 */
import { EcsError } from '../errors.js';

export const MAX_TARGET_COPY_REGIONS = 1;

export interface CopySettings { enabled: boolean; targets: string[]; retentionDays: number; encrypted: boolean }

export const NO_COPY: CopySettings = { enabled: false, targets: [], retentionDays: -1, encrypted: false };

function badTargets(why: string): EcsError {
  return new EcsError('InvalidParameter.TargetCopyRegions', `The specified TargetCopyRegions is invalid: ${why}.`, 403);
}

export function parseTargetCopyRegions(raw: string, sourceRegion: string, isKnownRegion: (id: string) => boolean): string[] {
  let v: unknown;
  try { v = JSON.parse(raw); } catch { throw badTargets(`expected a JSON array such as ["cn-shanghai"], got ${raw}`); }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badTargets(`expected a JSON array of region ids, got ${raw}`);
  const targets = [...new Set(v as string[])];
  if (targets.length > MAX_TARGET_COPY_REGIONS) throw badTargets(`at most ${MAX_TARGET_COPY_REGIONS} target region`);
  for (const r of targets) {
    if (!isKnownRegion(r)) throw badTargets(`the region ${r} does not exist`);
    if (r === sourceRegion) throw badTargets(`the target region ${r} is the policy's own region`);
  }
  return targets;
}

export function checkCopiedRetention(days: number): void {
  if (days !== -1 && !(Number.isInteger(days) && days >= 1 && days <= 65_535)) {
    throw new EcsError('InvalidParameter.CopiedSnapshotsRetentionDays', `The specified CopiedSnapshotsRetentionDays (${days}) is invalid: -1 (forever) or 1 to 65535 days.`, 403);
  }
}

/** The settings after a request's changes; copying needs a target region. */
export function mergeCopySettings(current: CopySettings, change: Partial<CopySettings>): CopySettings {
  const next = { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as CopySettings;
  checkCopiedRetention(next.retentionDays);
  if (next.enabled && next.targets.length === 0) throw badTargets('EnableCrossRegionCopy=true needs a target region');
  return next;
}
