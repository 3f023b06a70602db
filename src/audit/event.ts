/** One API call as an audit row, and a row as the event ActionTrail's LookupEvents answers. */
import type { Principal } from '../auth/accounts.js';
import type { AuditEventTable } from '../store/schema.js';
import { delimited, resourcesIn } from './resources.js';
import { redactMessage, redactParams } from './redact.js';

/** Actions that change nothing, by ActionTrail's naming of read events. */
const READ = /^(Describe|List|Get|Query|Lookup|Check|Inquire|Explain|Export|Preview|Search)/;

export function eventRW(action: string): 'Read' | 'Write' {
  return READ.test(action) ? 'Read' : 'Write';
}

export interface Identity {
  type: 'root-account' | 'ram-user' | 'assumed-role';
  principalId: string;
  userName: string;
  sessionName: string;
}

export function identityOf(p: Principal): Identity {
  if (p.type === 'user') return { type: 'ram-user', principalId: p.userId ?? '', userName: p.userName ?? '', sessionName: '' };
  if (p.type === 'role') {
    return { type: 'assumed-role', principalId: `${p.roleId ?? ''}:${p.sessionName ?? ''}`, userName: `${p.roleName ?? ''}:${p.sessionName ?? ''}`, sessionName: p.sessionName ?? '' };
  }
  return { type: 'root-account', principalId: p.accountId, userName: 'root', sessionName: '' };
}

export interface CallFacts {
  eventId: string;
  time: number;
  requestId: string;
  accountId: string;
  identity: Identity;
  accessKeyId: string;
  action: string;
  serviceName: string;
  apiVersion: string;
  eventSource: string;
  params: Record<string, string>;
  /** The region the endpoint named (`ecs.cn-beijing.aliyuncs.com`), for calls without RegionId. */
  endpointRegion: string;
  sourceIp: string;
  userAgent: string;
  status: number;
  errorCode: string;
  errorMessage: string;
  /** A write's answer, searched for the ids it created. */
  answer?: unknown;
}

export function auditRow(f: CallFacts): AuditEventTable {
  const rw = eventRW(f.action);
  const texts = Object.values(f.params);
  if (rw === 'Write' && f.answer) texts.push(JSON.stringify(f.answer));
  const res = resourcesIn(texts, f.params.KeyPairName);
  return {
    id: f.eventId,
    account_id: f.accountId,
    event_time: f.time,
    event_name: f.action,
    event_rw: rw,
    service_name: f.serviceName,
    api_version: f.apiVersion,
    event_source: f.eventSource,
    region: f.params.RegionId || f.params.regionId || f.endpointRegion,
    request_id: f.requestId,
    source_ip: f.sourceIp,
    user_agent: f.userAgent.slice(0, 512),
    identity_type: f.identity.type,
    principal_id: f.identity.principalId,
    access_key_id: f.accessKeyId,
    user_name: f.identity.userName,
    session_name: f.identity.sessionName,
    request_parameters: JSON.stringify(redactParams(f.params)),
    http_status: f.status,
    error_code: f.errorCode,
    error_message: redactMessage(f.errorMessage, f.params).slice(0, 1024),
    resource_names: delimited(res.names),
    resource_types: delimited(res.types),
  };
}

/** The event as ActionTrail answers it (its event structure: camelCase fields, ISO UTC time). */
export function eventOf(r: AuditEventTable): Record<string, unknown> {
  const names = r.resource_names ? r.resource_names.slice(1, -1).split(';') : [];
  const types = r.resource_types ? r.resource_types.slice(1, -1).split(';') : [];
  return {
    eventId: r.id,
    eventVersion: 1,
    eventName: r.event_name,
    eventRW: r.event_rw,
    eventType: 'ApiCall',
    eventCategory: 'Management',
    eventSource: r.event_source,
    eventTime: new Date(Number(r.event_time)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    acsRegion: r.region,
    apiVersion: r.api_version,
    serviceName: r.service_name,
    requestId: r.request_id,
    sourceIpAddress: r.source_ip,
    userAgent: r.user_agent,
    requestParameters: JSON.parse(r.request_parameters),
    userIdentity: {
      type: r.identity_type,
      principalId: r.principal_id,
      accountId: r.account_id,
      accessKeyId: r.access_key_id,
      userName: r.user_name,
      ...(r.session_name ? { sessionContext: { attributes: { sessionName: r.session_name } } } : {}),
    },
    ...(names.length ? { resourceName: names.join(';'), resourceType: types.join(';') } : {}),
    ...(r.error_code ? { errorCode: r.error_code, errorMessage: r.error_message } : {}),
    httpStatusCode: Number(r.http_status),
  };
}
