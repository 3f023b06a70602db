/**
 * Private pool options of an instance (PrivatePoolOptions.MatchCriteria / .Id on RunInstances and
 * ModifyInstanceAttachmentAttributes): Open (default: match any open pool), Target (the pool named
 * by Id, which is then required) or None (no pool). Private pools — elasticity assurances and
 * capacity reservations — do not exist in OpenECS, so every Target names a pool that is not found.
 */

export const MATCH_CRITERIA = ['Open', 'Target', 'None'] as const;
export const DEFAULT_MATCH_CRITERIA = 'Open';

export type PrivatePoolCheck =
  | { ok: true; matchCriteria: string; id: string }
  | { ok: false; reason: 'unknown-criteria' | 'missing-id' | 'id-not-allowed' | 'pool-not-found' };

export function checkPrivatePoolOptions(matchCriteria: string | undefined, id: string | undefined, poolExists: (id: string) => boolean = () => false): PrivatePoolCheck {
  const criteria = matchCriteria || DEFAULT_MATCH_CRITERIA;
  if (!(MATCH_CRITERIA as readonly string[]).includes(criteria)) return { ok: false, reason: 'unknown-criteria' };
  if (criteria === 'Target') {
    if (!id) return { ok: false, reason: 'missing-id' };
    if (!poolExists(id)) return { ok: false, reason: 'pool-not-found' };
    return { ok: true, matchCriteria: criteria, id };
  }
  if (id) return { ok: false, reason: 'id-not-allowed' };
  return { ok: true, matchCriteria: criteria, id: '' };
}
