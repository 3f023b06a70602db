/**
 * Authenticates an RPC request by its V2 (HMAC-SHA1) or V3 (ACS3-HMAC-SHA256) signature,
 * its freshness (Timestamp / x-acs-date) and its nonce, and returns the calling principal.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { EcsError } from '../domain/errors.js';
import {
  NonceCache, parseV3Authorization, safeEqual, sha256Hex, v2Sign, v2StringToSign, v3CanonicalRequest, v3Sign, v3StringToSign,
} from './signature.js';
import { findAccessKey, type Principal } from '../auth/accounts.js';
import { parseUtc } from '../domain/time.js';
import { storeVersion, type Db } from '../store/db.js';
import { findSession, USER_SESSION_PREFIX } from '../store/sts-sessions.js';
import type { Sealer } from '../auth/secrets.js';

export interface SignedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** Decoded URL query pairs, in order. */
  query: [string, string][];
  /** Query and form body merged. */
  params: Record<string, string>;
  body: Buffer;
}

const missing = (name: string) =>
  new EcsError('MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);

/** A signing key: an AccessKey of an account or of a RAM user, or an STS session's temporary one. */
interface AccessKey {
  id: string;
  secret: string;
  status: string;
  account_id: string;
  name: string;
  is_admin: number;
  user_id: string;
  user_name: string | null;
  /** `user`: a RAM user's console session (SignInWithPassword), which signs as the user. */
  session?: { token: string; expiresAt: number; roleId: string; roleName: string; sessionName: string; user?: boolean };
}

const tokenError = (code: string, message: string) => new EcsError(code, message, 400);

/**
 * `yyyy-MM-ddTHH:mm:ssZ`, with or without fractional seconds: the gateway takes the npm
 * aliyun-sdk's `toISOString()` (`2026-12-06T23:20:57.115Z`) as it takes the official SDKs' form.
 */
export function parseStamp(stamp: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{1,9})Z$/.exec(stamp);
  if (!m) return parseUtc(stamp);
  const whole = parseUtc(m[1]! + 'Z');
  return whole === undefined ? undefined : whole + Math.floor(Number(('0.' + m[2]!)) * 1000);
}

export class Authenticator {
  private nonces: NonceCache;
  /** Keys looked up at a store version; any write (a disabled or deleted key included) retires them. */
  private keys = new Map<string, { version: string; key: AccessKey }>();
  /** `clock` decides when STS sessions expire (the server's clock, which tests and emulator mode move). */
  /**
   * `sealer` opens the stored secrets (and tokens): opened values are remembered by their sealed
   * text, so a key looked up again after an unrelated write costs no decryption.
   */
  constructor(private db: Db, private windowMs: number, private sealer: Sealer, private clock: { now(): number } = { now: () => Date.now() }) {
    this.nonces = new NonceCache(windowMs);
  }

  async authenticate(req: SignedRequest): Promise<Principal> {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('ACS3-')) return this.v3(req, auth);
    return this.v2(req);
  }

  private async principalFor(accessKeyId: string) {
    const key = await this.lookUp(accessKeyId);
    if (!key) throw new EcsError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
    if (key.status !== 'Active') throw new EcsError('InvalidAccessKeyId.Inactive', 'Specified access key is disabled.', 400);
    return key;
  }

  private async lookUp(accessKeyId: string): Promise<AccessKey | undefined> {
    const version = storeVersion(this.db);
    const hit = this.keys.get(accessKeyId);
    if (hit?.version === version) return hit.key;
    const stored = await findKey(this.db, accessKeyId);
    if (!stored) return undefined;
    const key = this.opened(stored);
    if (!key) return undefined;
    if (this.keys.size >= 10_000) this.keys.clear();
    if (storeVersion(this.db) === version) this.keys.set(accessKeyId, { version, key });
    return key;
  }

  /** The key with its secret (and token) in clear; undefined when they do not open under this server's key. */
  private opened(stored: AccessKey): AccessKey | undefined {
    try {
      const secret = this.sealer.openCached(stored.secret);
      return stored.session
        ? { ...stored, secret, session: { ...stored.session, token: this.sealer.openCached(stored.session.token) } }
        : { ...stored, secret };
    } catch {
      console.error(`[openecs] AccessKey ${stored.id}: its stored secret does not open under this server's key; the key is refused`);
      return undefined;
    }
  }

  private checkFresh(stamp: string, name: string) {
    const at = parseStamp(stamp);
    if (at === undefined) throw new EcsError('InvalidTimeStamp.Format', `Specified time stamp or date value is not well formatted (${name}).`, 400);
    if (Math.abs(Date.now() - at) > this.windowMs) throw new EcsError('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.', 400);
  }

  /**
   * Temporary credentials sign together with their SecurityToken (the V2 `SecurityToken`
   * parameter, the V3 `x-acs-security-token` header) and only until they expire; a long-term
   * key carries none.
   */
  private checkToken(key: AccessKey, token: string | undefined) {
    if (!key.session) {
      if (token) throw tokenError('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
      return;
    }
    if (!token) throw tokenError('MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    if (!/^CAIS[A-Za-z0-9+/=]+$/.test(token)) throw tokenError('InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.');
    if (!safeEqual(token, key.session.token)) throw tokenError('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    if (this.clock.now() >= key.session.expiresAt) throw tokenError('InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
  }

  private claimNonce(accessKeyId: string, nonce: string) {
    if (!this.nonces.claim(`${accessKeyId}:${nonce}`, Date.now())) {
      throw new EcsError('SignatureNonceUsed', 'Specified signature nonce was used already.', 400);
    }
  }

  private async v2(req: SignedRequest): Promise<Principal> {
    const p = req.params;
    for (const name of ['AccessKeyId', 'Signature', 'Timestamp', 'SignatureNonce']) {
      if (!p[name]) throw name === 'Signature' && p.AccessKeyId
        ? new EcsError('IncompleteSignature', 'The request signature does not conform to Aliyun standards.', 400)
        : missing(name);
    }
    if ((p.SignatureMethod ?? 'HMAC-SHA1') !== 'HMAC-SHA1') {
      throw new EcsError('InvalidParameter', 'The specified parameter "SignatureMethod" is not valid: only HMAC-SHA1 is supported.', 400);
    }
    if (p.SignatureVersion !== undefined && p.SignatureVersion !== '1.0') {
      throw new EcsError('InvalidParameter', 'The specified parameter "SignatureVersion" is not valid: only 1.0 is supported.', 400);
    }
    const key = await this.principalFor(p.AccessKeyId!);
    const sts = v2StringToSign(req.method, p);
    if (!safeEqual(v2Sign(sts, key.secret), p.Signature!)) {
      throw new EcsError('SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${sts}`, 400);
    }
    this.checkFresh(p.Timestamp!, 'Timestamp');
    this.checkToken(key, p.SecurityToken);
    this.claimNonce(key.id, p.SignatureNonce!);
    return principalOf(key);
  }

  private async v3(req: SignedRequest, header: string): Promise<Principal> {
    const a = parseV3Authorization(header);
    if (!a) throw new EcsError('IncompleteSignature', 'The request signature does not conform to Aliyun standards: malformed Authorization header.', 400);
    for (const h of ['host', 'x-acs-date', 'x-acs-signature-nonce']) {
      if (!a.signedHeaders.includes(h)) throw new EcsError('IncompleteSignature', `The request signature does not conform to Aliyun standards: header "${h}" must be signed.`, 400);
    }
    const date = req.headers['x-acs-date'];
    const nonce = req.headers['x-acs-signature-nonce'];
    if (typeof date !== 'string' || !date) throw missing('x-acs-date');
    if (typeof nonce !== 'string' || !nonce) throw missing('x-acs-signature-nonce');
    const key = await this.principalFor(a.accessKeyId);
    const payloadHash = sha256Hex(req.body);
    const claimed = req.headers['x-acs-content-sha256'];
    if (typeof claimed === 'string' && claimed.toLowerCase() !== payloadHash) {
      throw new EcsError('SignatureDoesNotMatch', 'The x-acs-content-sha256 header does not match the hash of the request body.', 400);
    }
    const creq = v3CanonicalRequest(req.method, '/', req.query, req.headers, a.signedHeaders, typeof claimed === 'string' ? claimed.toLowerCase() : payloadHash);
    const sts = v3StringToSign(creq);
    if (!safeEqual(v3Sign(sts, key.secret), a.signature)) {
      throw new EcsError('SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${sts}`, 400);
    }
    this.checkFresh(date, 'x-acs-date');
    const token = req.headers['x-acs-security-token'];
    this.checkToken(key, typeof token === 'string' ? token : undefined);
    this.claimNonce(key.id, nonce);
    return principalOf(key);
  }
}

async function findKey(db: Db, accessKeyId: string): Promise<AccessKey | undefined> {
  if (!accessKeyId.startsWith('STS.')) return findAccessKey(db, accessKeyId);
  const s = await findSession(db, accessKeyId);
  if (!s) return undefined;
  if (s.role_id.startsWith(USER_SESSION_PREFIX)) {
    // A RAM user's console session signs as the user while the user exists.
    const userId = s.role_id.slice(USER_SESSION_PREFIX.length);
    const user = await db.selectFrom('ram_users').select(['id', 'name']).where('id', '=', userId).executeTakeFirst();
    if (!user) return undefined;
    return {
      id: s.access_key_id, secret: s.secret, status: 'Active', account_id: s.account_id, name: s.name, is_admin: 0, user_id: user.id, user_name: user.name,
      session: { token: s.security_token, expiresAt: Number(s.expires_at), roleId: '', roleName: '', sessionName: s.session_name, user: true },
    };
  }
  return {
    id: s.access_key_id, secret: s.secret, status: 'Active', account_id: s.account_id, name: s.name, is_admin: 0, user_id: '', user_name: null,
    session: { token: s.security_token, expiresAt: Number(s.expires_at), roleId: s.role_id, roleName: s.role_name, sessionName: s.session_name },
  };
}

/** The account's own keys sign as its root (the operator's admin rights go with the root only); a RAM user's as that user. */
function principalOf(key: AccessKey): Principal {
  const base = { accountId: key.account_id, accountName: key.name, accessKeyId: key.id };
  if (key.session && !key.session.user) {
    return { ...base, isAdmin: false, type: 'role', roleId: key.session.roleId, roleName: key.session.roleName, sessionName: key.session.sessionName, sessionKeyId: key.id };
  }
  if (key.user_id) return { ...base, isAdmin: false, type: 'user', userId: key.user_id, userName: key.user_name ?? '' };
  return { ...base, isAdmin: key.is_admin === 1, type: 'root' };
}
