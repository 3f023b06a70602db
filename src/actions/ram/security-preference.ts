/**
 * Get/SetSecurityPreference: what the account's RAM users may do for themselves. Enforced here:
 * AllowUserToChangePassword (ChangePassword), AllowUserToManageAccessKeys and
 * AllowUserToManageMFADevices (a user's own keys and MFA device without a policy, policy-enforcer.ts),
 * LoginSessionDuration and LoginNetworkMasks (console sign-in, console-sign-in.ts).
 * EnableSaveMFATicket and AllowUserToManagePublicKeys mean nothing here (no MFA sign-in ticket, no
 * SSH public keys), so they are not in acted-params.ts: anything but their default `false` is
 * refused by name.
 */
import { mergeSecurityPreference, readSecurityPreference, type SecurityPreference } from '../../domain/ram/security-preference.js';
import { accountSettings, saveAccountSettings } from '../../store/ram.js';
import { ramHandlers } from '../typed-handlers.js';

function view(p: SecurityPreference) {
  return {
    SecurityPreference: {
      AccessKeyPreference: { AllowUserToManageAccessKeys: p.AllowUserToManageAccessKeys },
      MFAPreference: { AllowUserToManageMFADevices: p.AllowUserToManageMFADevices },
      LoginProfilePreference: {
        EnableSaveMFATicket: p.EnableSaveMFATicket, LoginSessionDuration: p.LoginSessionDuration,
        LoginNetworkMasks: p.LoginNetworkMasks, AllowUserToChangePassword: p.AllowUserToChangePassword,
      },
      PublicKeyPreference: { AllowUserToManagePublicKeys: p.AllowUserToManagePublicKeys },
    },
  };
}

export const ramSecurityPreferenceActions = ramHandlers({
  async GetSecurityPreference(ctx) {
    return view(readSecurityPreference((await accountSettings(ctx.db, ctx.principal.accountId)).security_preference));
  },

  async SetSecurityPreference(ctx, p) {
    const accountId = ctx.principal.accountId;
    return ctx.mutate(async (trx) => {
      const current = readSecurityPreference((await accountSettings(trx, accountId)).security_preference);
      const next = mergeSecurityPreference(current, {
        // EnableSaveMFATicket and AllowUserToManagePublicKeys reach here only as their default (false), which they keep.
        AllowUserToChangePassword: p.AllowUserToChangePassword, AllowUserToManageAccessKeys: p.AllowUserToManageAccessKeys,
        AllowUserToManageMFADevices: p.AllowUserToManageMFADevices, LoginSessionDuration: p.LoginSessionDuration,
        LoginNetworkMasks: p.LoginNetworkMasks,
      });
      await saveAccountSettings(trx, accountId, { security_preference: JSON.stringify(next) });
      return view(next);
    });
  },
});
