/**
 * The server's TLS identity. Terraform's provider sends some calls over HTTPS whatever its
 * `protocol` says (the security group rule's modify and revoke, terraform-calls.md §0.2), to the
 * same host:port as the rest, so the API port answers TLS too. An operator brings a certificate
 * (OPENECS_TLS_CERT / OPENECS_TLS_KEY) or the server makes a private CA and a certificate for the
 * listen address once, kept in the data dir; clients trust `tls/ca.pem` (Go: SSL_CERT_FILE).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsIdentity {
  key: string;
  cert: string;
  /** The CA to trust: the generated CA, or the operator's certificate itself. */
  ca: string;
  /** Where the CA lies on disk, when it does. */
  caFile?: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600_000;

/** Names the certificate covers: loopback in every spelling plus the configured listen host. */
export function subjectNames(host: string): { dns: string[]; ips: string[] } {
  const dns = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  if (host && host !== '0.0.0.0' && host !== '::') (isIP(host) ? ips : dns).add(host);
  return { dns: [...dns], ips: [...ips] };
}

async function makeIdentity(host: string, now: Date): Promise<TlsIdentity> {
  const validity = { notBeforeDate: new Date(now.getTime() - 3600_000), notAfterDate: new Date(now.getTime() + TEN_YEARS_MS) };
  const ca = await generate([{ name: 'commonName', value: 'OpenECS local CA' }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256', ...validity,
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }],
  });
  const names = subjectNames(host);
  const leaf = await generate([{ name: 'commonName', value: names.dns.at(-1) ?? 'localhost' }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256', ...validity,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...names.dns.map((value) => ({ type: 2 as const, value })), ...names.ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  return { key: leaf.private, cert: leaf.cert, ca: ca.cert };
}

/**
 * The operator's files when configured; else the identity kept in `<dataDir>/tls/`, made on first
 * use (in memory only for an in-memory store).
 */
export async function loadTlsIdentity(o: { dataDir: string; host: string; certFile?: string; keyFile?: string }): Promise<TlsIdentity> {
  if (o.certFile || o.keyFile) {
    if (!o.certFile || !o.keyFile) throw new Error('OPENECS_TLS_CERT and OPENECS_TLS_KEY go together');
    const cert = readFileSync(o.certFile, 'utf8');
    return { key: readFileSync(o.keyFile, 'utf8'), cert, ca: cert, caFile: o.certFile };
  }
  if (o.dataDir === ':memory:') return makeIdentity(o.host, new Date());
  const dir = join(o.dataDir, 'tls');
  const files = { key: join(dir, 'server-key.pem'), cert: join(dir, 'server.pem'), ca: join(dir, 'ca.pem') };
  if (existsSync(files.key) && existsSync(files.cert) && existsSync(files.ca)) {
    return { key: readFileSync(files.key, 'utf8'), cert: readFileSync(files.cert, 'utf8'), ca: readFileSync(files.ca, 'utf8'), caFile: files.ca };
  }
  const id = await makeIdentity(o.host, new Date());
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.key, id.key, { mode: 0o600 });
  writeFileSync(files.cert, id.cert);
  writeFileSync(files.ca, id.ca);
  return { ...id, caFile: files.ca };
}
