/**
 * STS (2015-04-01) GetCallerIdentity: who the AccessKey belongs to. Terraform's provider calls it
 * first to learn the account id. Every OpenECS account is a root account (no RAM users or roles
 * yet), so the identity is the account itself: Arn `acs:ram::<account>:root`, IdentityType Account,
 * and PrincipalId/UserId the account id, as STS answers for a root AccessKey.
 */
import { stsHandlers } from './typed-handlers.js';

export const stsActions = stsHandlers({
  async GetCallerIdentity(ctx) {
    const id = ctx.principal.accountId;
    return { IdentityType: 'Account', AccountId: id, PrincipalId: id, UserId: id, Arn: `acs:ram::${id}:root` };
  },
});
