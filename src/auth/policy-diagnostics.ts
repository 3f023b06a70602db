/**
 * The diagnostic of a RAM refusal: what ECS puts, encoded, in AccessDeniedDetail's
 * EncodedDiagnosticMessage, and what RAM's DecodeDiagnosticMessage gives back (its 2015-05-01
 * response shape: ExplicitDeny, NoPermissionPolicyType, AuthAction, AuthResource, AuthPrincipal,
 * AuthConditions, MatchedPolicies). The real service encrypts it; OpenECS only encodes it
 * (base64 JSON behind a marker), which is enough for what it is for: a caller reading why.
 */
export interface DecodedDiagnostic {
  ExplicitDeny: boolean;
  NoPermissionPolicyType: string;
  AuthAction: string;
  AuthResource: string;
  AuthPrincipal: { AuthPrincipalType: string; AuthPrincipalOwnerId: string; AuthPrincipalDisplayName: string };
  AuthConditions: { ConditionKey: string; ConditionValues: string[] }[];
  MatchedPolicies: { Effect: string; PolicyIdentifier: string; PolicyType: string; PolicyVersion: string; AttachedEntityType: string; AttachedScope: string; StatementIndex: number }[];
}

const MARK = 'OE1.';

export function encodeDiagnostic(d: DecodedDiagnostic): string {
  return MARK + Buffer.from(JSON.stringify(d)).toString('base64');
}

/** The diagnostic, or undefined when the text is not one this server wrote. */
export function decodeDiagnostic(text: string): DecodedDiagnostic | undefined {
  if (!text.startsWith(MARK)) return undefined;
  try {
    const d = JSON.parse(Buffer.from(text.slice(MARK.length), 'base64').toString('utf8')) as DecodedDiagnostic;
    return d && typeof d.AuthAction === 'string' && d.AuthPrincipal && typeof d.AuthPrincipal.AuthPrincipalOwnerId === 'string' ? d : undefined;
  } catch {
    return undefined;
  }
}
