/**
 * SSH key pair rules: names, the public key formats ImportKeyPair accepts, fingerprints, and the
 * RSA 2048 key CreateKeyPair makes. Pure apart from the random key generation.
 *
 * Facts: security guide 001:L1287–1317 (limits, the 12 accepted encryption methods), 001:L1338
 * (name rule), user guide 000:L2424–2428 (RSA 2048 only; private key as unencrypted PEM PKCS#8),
 * API metadata (fingerprint: MD5 per RFC 4716, colon-separated hex).
 */
import { createHash, generateKeyPair as generateKeyPairCb } from 'node:crypto';
import { promisify } from 'node:util';
import sshpk from 'sshpk';
import { EcsError } from './errors.js';

const generateKeyPair = promisify(generateKeyPairCb);

/** 001:L1291 "An Alibaba Cloud account can have a maximum of 500 key pairs in a region"; the root can change it. */
export const KEY_PAIR_QUOTA_NAME = 'key-pairs-per-region';
export const DEFAULT_KEY_PAIRS_PER_REGION = 500;

/** AttachKeyPair/DetachKeyPair take at most 50 instance ids; DeleteKeyPairs at most 100 names (API metadata). */
export const MAX_INSTANCES_PER_BIND = 50;
export const MAX_NAMES_PER_DELETE = 100;

/** Bodies beyond this are not public keys anyone pastes (a 16384-bit RSA key is about 2.8 KB). */
const MAX_PUBLIC_KEY_BODY = 16384;

/**
 * 001:L1338 and the API: 2–128 characters, starting with a letter (or a Chinese character), then
 * letters, digits, `.`, `_`, `-`, `:`. A name can therefore never start with http:// or https://.
 */
export function isValidKeyPairName(name: string): boolean {
  const n = [...name].length;
  return n >= 2 && n <= 128 && /^[A-Za-z\p{Script=Han}][A-Za-z0-9\p{Script=Han}._:-]*$/u.test(name);
}

export function checkKeyPairName(name: string): void {
  if (!isValidKeyPairName(name)) {
    throw new EcsError('InvalidKeyPairName.Malformed', `Specified Key Pair name "${name}" is not valid: 2 to 128 characters, starting with a letter, then letters, digits, ".", "_", "-" or ":".`);
  }
}

/** `ssh-keygen -l -E md5` without its `MD5:` prefix, as ECS shows KeyPairFingerPrint. */
export function md5Fingerprint(plainKeyBlob: Buffer): string {
  return createHash('md5').update(plainKeyBlob).digest('hex').replace(/(..)(?!$)/g, '$1:');
}

/** Plain key types, then the certificate types the guide lists (001:L1306–1317). */
const PLAIN_TYPES = new Set(['ssh-rsa', 'ssh-dss', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-ed25519']);
const V01_CERT_TYPES = new Set([
  'ssh-rsa-cert-v01@openssh.com', 'ssh-dss-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384-cert-v01@openssh.com', 'ecdsa-sha2-nistp521-cert-v01@openssh.com',
]);
const V00_CERT_TYPES = new Set(['ssh-rsa-cert-v00@openssh.com', 'ssh-dss-cert-v00@openssh.com']);
export const ACCEPTED_KEY_TYPES: readonly string[] = [...PLAIN_TYPES, ...V00_CERT_TYPES, ...V01_CERT_TYPES];

export interface ParsedPublicKey {
  /** The key type named in the body (`ssh-rsa`, `ssh-rsa-cert-v01@openssh.com`, ...). */
  type: string;
  /** What DescribeKeyPairs shows: one OpenSSH line, `type base64 [comment]`. */
  publicKey: string;
  /** The plain key as an authorized_keys line (a certificate's subject key), for the guest. */
  authorizedKey: string;
  /** MD5 of the plain key blob; for a certificate that of its subject key, as ssh-keygen -l shows. */
  fingerPrint: string;
}

function malformed(why: string): EcsError {
  return new EcsError('InvalidPublicKeyBody.Malformed', `The PublicKeyBody format is not supported: ${why}`);
}

/** A minimal reader of the SSH wire encoding (RFC 4251 §5). */
class WireReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean { return this.at === this.buf.length; }
  u32(): number {
    if (this.at + 4 > this.buf.length) throw new Error('truncated');
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  u64(): void {
    this.u32(); this.u32();
  }
  bytes(): Buffer {
    const n = this.u32();
    if (this.at + n > this.buf.length) throw new Error('truncated');
    const v = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
}

function wireString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** Type name of a wire blob (its first string), or undefined when it has none. */
function blobType(blob: Buffer): string | undefined {
  try {
    const t = new WireReader(blob).bytes().toString('latin1');
    return /^[\x21-\x7e]{1,64}$/.test(t) ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Wire fields of a plain public key, its type name included (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4). */
const PLAIN_FIELDS: Record<string, number> = {
  'ssh-rsa': 3, 'ssh-dss': 5, 'ecdsa-sha2-nistp256': 3, 'ecdsa-sha2-nistp384': 3, 'ecdsa-sha2-nistp521': 3, 'ssh-ed25519': 2,
};

function fieldCount(blob: Buffer): number {
  const r = new WireReader(blob);
  let n = 0;
  for (; !r.done; n++) r.bytes();
  return n;
}

/** Validates a plain key blob (exact field count, then sshpk); returns the blob as sshpk re-encodes it. */
function plainKey(blob: Buffer, type: string): Buffer {
  let fields: number;
  try { fields = fieldCount(blob); } catch { throw malformed(`the ${type} key data is truncated.`); }
  if (fields !== PLAIN_FIELDS[type]) throw malformed(`the ${type} key data has ${fields} fields, not ${PLAIN_FIELDS[type]}.`);
  let key: sshpk.Key;
  try {
    key = sshpk.parseKey(blob, 'rfc4253');
  } catch (e) {
    throw malformed(`the ${type} key data is not valid (${(e as Error).message.split('\n')[0]}).`);
  }
  const out = key.toBuffer('rfc4253');
  if (blobType(out) !== type) throw malformed(`the key data is not a ${type} key.`);
  return out;
}

/**
 * The obsolete v00 certificates (OpenSSH 5.4–7.x) that sshpk does not read: the type, the key's
 * own fields, then type, key id, principals, validity, critical options, nonce, reserved, CA key
 * and signature. Returns the subject key's plain blob.
 */
function v00Subject(blob: Buffer, certType: string): Buffer {
  const plainType = certType.startsWith('ssh-rsa') ? 'ssh-rsa' : 'ssh-dss';
  try {
    const r = new WireReader(blob);
    r.bytes();
    const fields = plainType === 'ssh-rsa' ? [r.bytes(), r.bytes()] : [r.bytes(), r.bytes(), r.bytes(), r.bytes()];
    r.u32(); r.bytes(); r.bytes(); r.u64(); r.u64(); r.bytes(); r.bytes(); r.bytes(); r.bytes(); r.bytes();
    if (!r.done) throw new Error('trailing data');
    return Buffer.concat([wireString(Buffer.from(plainType)), ...fields.map(wireString)]);
  } catch (e) {
    throw malformed(`the ${certType} certificate is not valid (${(e as Error).message}).`);
  }
}

/** The subject key's plain blob of a certificate or plain key of an accepted type. */
function subjectBlob(type: string, blob: Buffer): Buffer {
  if (PLAIN_TYPES.has(type)) return plainKey(blob, type);
  if (V00_CERT_TYPES.has(type)) {
    const plain = v00Subject(blob, type);
    return plainKey(plain, blobType(plain)!);
  }
  let cert: sshpk.Certificate;
  try {
    cert = sshpk.parseCertificate(`${type} ${blob.toString('base64')}`, 'openssh');
  } catch (e) {
    throw malformed(`the ${type} certificate is not valid (${(e as Error).message.split('\n')[0]}).`);
  }
  return cert.subjectKey.toBuffer('rfc4253');
}

function fromBlob(blob: Buffer, comment: string): ParsedPublicKey {
  const type = blobType(blob);
  if (!type) throw malformed('the key data does not start with a key type.');
  if (!PLAIN_TYPES.has(type) && !V00_CERT_TYPES.has(type) && !V01_CERT_TYPES.has(type)) {
    throw malformed(`the key type "${type}" is not one of ${ACCEPTED_KEY_TYPES.join(', ')}.`);
  }
  const subject = subjectBlob(type, blob);
  const suffix = comment ? ' ' + comment : '';
  return {
    type,
    publicKey: `${type} ${blob.toString('base64')}${suffix}`,
    authorizedKey: `${blobType(subject)} ${subject.toString('base64')}${suffix}`,
    fingerPrint: md5Fingerprint(subject),
  };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeBase64(text: string): Buffer {
  if (!BASE64.test(text) || text.length % 4 === 1) throw malformed('the key data is not Base64.');
  return Buffer.from(text, 'base64');
}

/** RFC 4716 (`---- BEGIN SSH2 PUBLIC KEY ----`), as `ssh-keygen -e` and PuTTYgen write it. */
function fromRfc4716(body: string): ParsedPublicKey {
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  const end = lines.findIndex((l) => l === '---- END SSH2 PUBLIC KEY ----');
  if (lines[0] !== '---- BEGIN SSH2 PUBLIC KEY ----' || end < 0 || lines.slice(end + 1).some((l) => l)) throw malformed('the SSH2 public key block is not complete.');
  let comment = '';
  const data: string[] = [];
  let continued = false;
  for (const line of lines.slice(1, end)) {
    if (continued) { continued = line.endsWith('\\'); continue; }
    const header = /^([\x21-\x39\x3b-\x7e]{1,64}):\s*(.*)$/.exec(line);
    if (header && data.length === 0) {
      continued = header[2]!.endsWith('\\');
      if (header[1]!.toLowerCase() === 'comment') comment = header[2]!.replace(/^"(.*)"$/, '$1');
      continue;
    }
    if (line) data.push(line);
  }
  return fromBlob(decodeBase64(data.join('')), /^[\x20-\x7e]*$/.test(comment) ? comment.trim() : '');
}

/** PEM public keys (`BEGIN PUBLIC KEY` SPKI, `BEGIN RSA PUBLIC KEY` PKCS#1): the guide's `rsa`, `dsa`, `ecdsa`. */
function fromPem(body: string): ParsedPublicKey {
  let key: sshpk.Key;
  try {
    key = sshpk.parseKey(body, 'pem');
  } catch (e) {
    throw malformed(`the PEM public key is not valid (${(e as Error).message.split('\n')[0]}).`);
  }
  return fromBlob(key.toBuffer('rfc4253'), '');
}

/**
 * Parses an ImportKeyPair PublicKeyBody: an OpenSSH line (`type base64 [comment]`), the bare
 * Base64 key data, an RFC 4716 block, or a PEM public key. Private keys are refused
 * (001:L1365 "Do not import the private key").
 */
export function parsePublicKey(input: string): ParsedPublicKey {
  const body = input.trim();
  if (!body) throw malformed('it is empty.');
  if (body.length > MAX_PUBLIC_KEY_BODY) throw malformed(`it is longer than ${MAX_PUBLIC_KEY_BODY} characters.`);
  if (/PRIVATE KEY/.test(body)) throw malformed('it is a private key; import only the public key.');
  if (body.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')) return fromRfc4716(body);
  if (/^-----BEGIN (RSA |DSA |EC )?PUBLIC KEY-----/.test(body)) return fromPem(body);
  if (/[\r\n]/.test(body)) throw malformed('an OpenSSH public key is a single line.');
  const parts = body.split(/[ \t]+/);
  if (parts.length === 1) return fromBlob(decodeBase64(parts[0]!), '');
  const [type, data, ...rest] = parts as [string, string, ...string[]];
  const parsed = fromBlob(decodeBase64(data), rest.join(' '));
  if (parsed.type !== type) throw malformed(`the key type "${type}" does not match the key data (${parsed.type}).`);
  return parsed;
}

export interface GeneratedKeyPair {
  /** Unencrypted PEM PKCS#8 (`-----BEGIN PRIVATE KEY-----`), 000:L2428 / 001:L1270. */
  privateKeyBody: string;
  /** `ssh-rsa base64`, what the guest's authorized_keys receives. */
  publicKey: string;
  fingerPrint: string;
}

/** CreateKeyPair: "only 2048-bit RSA key pairs can be created" (001:L1290, 000:L2424). */
export async function generateRsaKeyPair(): Promise<GeneratedKeyPair> {
  const { privateKey } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const blob = sshpk.parsePrivateKey(privateKey, 'pem').toPublic().toBuffer('rfc4253');
  return { privateKeyBody: privateKey, publicKey: `ssh-rsa ${blob.toString('base64')}`, fingerPrint: md5Fingerprint(blob) };
}

/** DescribeKeyPairs KeyPairName: `*` matches any run of characters; without `*` the match is exact. */
export function matchesNamePattern(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'su');
  return re.test(name);
}
