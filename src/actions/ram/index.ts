/** The RAM (2015-05-01) handlers, one module per resource family. */
import type { HandlerMap } from '../types.js';
import { ramAccountActions } from './account.js';
import { ramAttachmentActions } from './attachments.js';
import { ramCredentialActions, ramSelfServiceActions } from './credentials.js';
import { ramGroupActions } from './groups.js';
import { ramMfaActions } from './mfa.js';
import { ramPolicyActions } from './policies.js';
import { ramRoleActions } from './roles.js';
import { ramTagHandlers } from './tags.js';
import { ramUserActions } from './users.js';
import { ramSecurityPreferenceActions } from './security-preference.js';

export const ramActions: HandlerMap = {
  ...ramUserActions, ...ramCredentialActions, ...ramGroupActions, ...ramRoleActions,
  ...ramPolicyActions, ...ramAttachmentActions, ...ramAccountActions, ...ramTagHandlers, ...ramMfaActions,
  ...ramSecurityPreferenceActions, ...ramSelfServiceActions,
};
