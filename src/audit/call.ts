/**
 * The dispatcher's hook: what it learns of a call as the call goes (product, caller, error,
 * answer), turned into one audit row when the answer is ready. Everything here is cheap and
 * synchronous; the row is written later by the recorder.
 */
import { newEventId } from './event-id.js';
import type { Principal } from '../auth/accounts.js';
import type { Services } from '../actions/types.js';
import type { RpcRequest, RpcResponse } from '../api/dispatch.js';
import { auditRow } from './event.js';
import { identityOf } from './event.js';
import { auditRecorder } from './recorder.js';

export interface AuditedCall {
  product?: string;
  serviceName?: string;
  host?: string;
  version?: string;
  action?: string;
  principal?: Principal;
  error?: { code: string; message: string };
  answer?: unknown;
  end(res: RpcResponse): void;
}

/** The AccessKeyId a request claims: V2's parameter or V3's `Credential=` (before it is checked). */
export function claimedAccessKeyId(req: RpcRequest): string {
  if (req.params.AccessKeyId) return req.params.AccessKeyId;
  const auth = req.headers.authorization;
  const m = typeof auth === 'string' ? /Credential=([^,\s/]+)/.exec(auth) : null;
  return m?.[1] ?? '';
}

function header(req: RpcRequest, name: string): string {
  const v = req.headers[name];
  return typeof v === 'string' ? v : '';
}

export function beginAuditedCall(services: Services, req: RpcRequest, requestId: string): AuditedCall {
  const time = services.clock.now();
  const call: AuditedCall = {
    end(res) {
      const p = call.principal;
      // An anonymous action (password sign-in) has no account until its handler finds one.
      if (p && !p.accountId) return;
      const accessKeyId = p?.accessKeyId ?? claimedAccessKeyId(req);
      if (!p && !accessKeyId) return;
      auditRecorder(services.db).record(auditRow({
        eventId: newEventId(),
        time,
        requestId,
        accountId: p?.accountId ?? '',
        identity: p ? identityOf(p) : { type: 'root-account', principalId: '', userName: '', sessionName: '' },
        accessKeyId,
        action: call.action || req.params.Action || header(req, 'x-acs-action'),
        serviceName: call.serviceName ?? '',
        apiVersion: call.version || req.params.Version || header(req, 'x-acs-version'),
        eventSource: call.host ?? '',
        params: req.params,
        endpointRegion: /^[a-z-]+\.([a-z]+-[a-z0-9-]+)\.aliyuncs\.com(:\d+)?$/.exec(header(req, 'host'))?.[1] ?? '',
        sourceIp: req.sourceIp ?? '',
        userAgent: header(req, 'user-agent'),
        status: res.status,
        errorCode: res.status === 200 ? '' : call.error?.code ?? '',
        errorMessage: res.status === 200 ? '' : call.error?.message ?? '',
        answer: call.answer,
      }));
    },
  };
  return call;
}
