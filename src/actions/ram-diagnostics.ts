/**
 * RAM DecodeDiagnosticMessage: reads back the diagnostic a Forbidden.RAM answer carried in
 * AccessDeniedDetail.EncodedDiagnosticMessage (src/auth/policy-diagnostics.ts): which action on
 * which resource, for whom, in what context, and the policy statement that decided. Only the
 * account the refused identity belongs to may read it.
 */
import { decodeDiagnostic } from '../auth/policy-diagnostics.js';
import { EcsError } from '../domain/errors.js';
import { ramHandlers } from './typed-handlers.js';

export const ramDiagnosticActions = ramHandlers({
  async DecodeDiagnosticMessage(ctx, p) {
    const text = (p.EncodedDiagnosticMessage ?? '').trim();
    if (!text) throw new EcsError('MissingParameter', 'The input parameter "EncodedDiagnosticMessage" that is mandatory for processing this request is not supplied.', 400);
    const d = decodeDiagnostic(text);
    if (!d || d.AuthPrincipal.AuthPrincipalOwnerId !== ctx.principal.accountId) {
      throw new EcsError('EntityNotExist', 'The specific DecodedDiagnosticMessage cannot be found.', 404);
    }
    return {
      DecodedDiagnosticMessage: {
        ExplicitDeny: d.ExplicitDeny,
        NoPermissionPolicyType: d.NoPermissionPolicyType,
        AuthAction: d.AuthAction,
        AuthResource: d.AuthResource,
        AuthPrincipal: d.AuthPrincipal,
        AuthConditions: d.AuthConditions,
        MatchedPolicies: d.MatchedPolicies.map(({ StatementIndex: _index, ...m }) => m),
      },
    };
  },
});
