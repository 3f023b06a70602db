import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { EcsError } from '../../src/domain/errors.js';
import {
  ACCEPTED_KEY_TYPES, generateRsaKeyPair, isValidKeyPairName, matchesNamePattern, md5Fingerprint, parsePublicKey,
} from '../../src/domain/key-pairs.js';
import { KEYS } from './ssh-keys.fixture.js';

/** Expected values from `ssh-keygen -l -E md5 -f <file>` (OpenSSH 9.2), without the `MD5:` prefix. */
const FP = {
  rsa: '76:15:28:8c:b1:ed:c1:7d:46:94:da:e2:e5:39:09:52',
  ed25519: 'e3:7c:2f:7c:f4:eb:72:cb:d7:e5:80:11:3d:16:50:41',
  ecdsa256: 'ba:5f:f5:1e:57:52:0a:e8:47:fd:32:b3:35:7c:c2:6b',
  ecdsa384: '53:85:e5:ca:2d:c4:45:9a:33:ca:84:2b:53:23:ce:f1',
  ecdsa521: '47:eb:98:3f:8b:40:46:f0:d1:be:ad:6f:13:37:13:02',
  dsa: '7f:45:1b:ca:6f:ac:fc:72:9f:87:18:3c:e0:55:5f:92',
};

const plainLine = (line: string) => line.split(' ').slice(0, 2).join(' ');
const b64 = (line: string) => line.split(' ')[1]!;

function wire(...parts: (Buffer | string | number)[]): Buffer {
  return Buffer.concat(parts.map((p) => {
    if (typeof p === 'number') { const b = Buffer.alloc(4); b.writeUInt32BE(p); return b; }
    const body = typeof p === 'string' ? Buffer.from(p) : p;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return Buffer.concat([len, body]);
  }));
}

/** The fields of an SSH wire blob as raw strings (enough to lift e and n out of an ssh-rsa key). */
function strings(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < blob.length;) {
    const n = blob.readUInt32BE(at);
    out.push(blob.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return out;
}

/** An obsolete v00 RSA certificate (OpenSSH 5.4 layout), which current ssh-keygen cannot make. */
function v00RsaCert(): string {
  const [, e, n] = strings(Buffer.from(b64(KEYS.rsa), 'base64'));
  const u64 = (hi: number, lo: number) => { const b = Buffer.alloc(8); b.writeUInt32BE(hi); b.writeUInt32BE(lo, 4); return b; };
  const blob = Buffer.concat([
    wire('ssh-rsa-cert-v00@openssh.com', e!, n!, 1, 'legacy-id', wire('root')),
    u64(0, 0), u64(0xffffffff, 0xffffffff),
    wire('', Buffer.alloc(32, 7), '', Buffer.from(b64(KEYS.caPublic), 'base64'), wire('ssh-ed25519', Buffer.alloc(64, 1))),
  ]);
  return `ssh-rsa-cert-v00@openssh.com ${blob.toString('base64')} legacy`;
}

describe('key pair names (001:L1338, API: 2–128, a letter first, then letters, digits . _ - :)', () => {
  const cases: [string, boolean][] = [
    ['ab', true], ['a.b_c-d:e', true], ['a'.repeat(128), true], ['KeyPair01', true], ['密钥对', true], ['a密钥', true],
    ['a', false], ['a'.repeat(129), false], ['1key', false], ['.key', false], ['_key', false], ['-key', false],
    ['my key', false], ['http://key', false], ['https://key', false], ['key/1', false], ['key@x', false], ['', false],
  ];
  for (const [name, ok] of cases) it(`${JSON.stringify(name).slice(0, 24)} ${ok ? 'valid' : 'invalid'}`, () => assert.equal(isValidKeyPairName(name), ok));
});

describe('public keys ImportKeyPair accepts, with their fingerprints', () => {
  const cases: [string, string, string, string][] = [
    ['ssh-rsa with comment', KEYS.rsa, 'ssh-rsa', FP.rsa],
    ['ssh-rsa without comment', plainLine(KEYS.rsa), 'ssh-rsa', FP.rsa],
    ['ssh-ed25519', KEYS.ed25519, 'ssh-ed25519', FP.ed25519],
    ['ecdsa-sha2-nistp256', KEYS.ecdsa256, 'ecdsa-sha2-nistp256', FP.ecdsa256],
    ['ecdsa-sha2-nistp384', KEYS.ecdsa384, 'ecdsa-sha2-nistp384', FP.ecdsa384],
    ['ecdsa-sha2-nistp521', KEYS.ecdsa521, 'ecdsa-sha2-nistp521', FP.ecdsa521],
    ['ssh-dss', KEYS.dsa, 'ssh-dss', FP.dsa],
    ['ssh-rsa-cert-v01 (fingerprint of the subject key)', KEYS.rsaCert, 'ssh-rsa-cert-v01@openssh.com', FP.rsa],
    ['ssh-dss-cert-v01', KEYS.dsaCert, 'ssh-dss-cert-v01@openssh.com', FP.dsa],
    ['ecdsa-sha2-nistp256-cert-v01', KEYS.ecdsa256Cert, 'ecdsa-sha2-nistp256-cert-v01@openssh.com', FP.ecdsa256],
    ['ssh-rsa-cert-v00 (legacy layout)', v00RsaCert(), 'ssh-rsa-cert-v00@openssh.com', FP.rsa],
    ['the bare Base64 key data', b64(KEYS.rsa), 'ssh-rsa', FP.rsa],
    ['RFC 4716 (ssh-keygen -e)', KEYS.rsaRfc4716, 'ssh-rsa', FP.rsa],
    ['PEM SPKI (BEGIN PUBLIC KEY)', KEYS.rsaSpki, 'ssh-rsa', FP.rsa],
    ['PEM PKCS#1 (BEGIN RSA PUBLIC KEY)', KEYS.rsaPkcs1, 'ssh-rsa', FP.rsa],
    ['surrounding blanks and a trailing newline', `  ${KEYS.ed25519}\n`, 'ssh-ed25519', FP.ed25519],
  ];
  for (const [what, body, type, fp] of cases) {
    it(what, () => {
      const k = parsePublicKey(body);
      assert.equal(k.type, type);
      assert.equal(k.fingerPrint, fp);
      assert.match(k.authorizedKey, /^(ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/]+=*( .*)?$/);
    });
  }

  it('keeps an OpenSSH line as given, and gives a certificate\'s subject key to authorized_keys', () => {
    assert.equal(parsePublicKey(KEYS.rsa).publicKey, KEYS.rsa);
    assert.equal(parsePublicKey(KEYS.rsa).authorizedKey, KEYS.rsa);
    const cert = parsePublicKey(KEYS.rsaCert);
    assert.equal(cert.publicKey, KEYS.rsaCert);
    assert.equal(plainLine(cert.authorizedKey), plainLine(KEYS.rsa));
    assert.equal(plainLine(parsePublicKey(v00RsaCert()).authorizedKey), plainLine(KEYS.rsa));
  });

  it('converts RFC 4716 and PEM bodies to an OpenSSH line', () => {
    assert.equal(plainLine(parsePublicKey(KEYS.rsaSpki).publicKey), plainLine(KEYS.rsa));
    const rfc = parsePublicKey(KEYS.rsaRfc4716);
    assert.equal(plainLine(rfc.publicKey), plainLine(KEYS.rsa));
    assert.match(rfc.publicKey, / 2048-bit RSA, converted by .* from OpenSSH$/);
  });

  it('lists the 12 methods of the guide as their OpenSSH names, plus ssh-ed25519', () => {
    for (const t of ['ssh-rsa', 'ssh-dss', 'ecdsa-sha2-nistp256', 'ssh-ed25519', 'ssh-rsa-cert-v00@openssh.com', 'ssh-dss-cert-v00@openssh.com',
      'ssh-rsa-cert-v01@openssh.com', 'ssh-dss-cert-v01@openssh.com', 'ecdsa-sha2-nistp256-cert-v01@openssh.com',
      'ecdsa-sha2-nistp384-cert-v01@openssh.com', 'ecdsa-sha2-nistp521-cert-v01@openssh.com']) assert.ok(ACCEPTED_KEY_TYPES.includes(t), t);
  });
});

describe('malformed public keys answer InvalidPublicKeyBody.Malformed', () => {
  const edBlob = Buffer.from(b64(KEYS.ed25519), 'base64');
  const cases: [string, string][] = [
    ['empty', ''],
    ['blanks', '   '],
    ['a type alone', 'ssh-rsa'],
    ['truncated key data', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ'],
    ['not Base64', 'ssh-rsa AAAA$$$$'],
    ['the type does not match the data', `ssh-rsa ${b64(KEYS.ed25519)}`],
    ['an unknown type', `ssh-foo ${wire('ssh-foo', 'x').toString('base64')}`],
    ['a FIDO key type not in the guide', `sk-ssh-ed25519@openssh.com ${wire('sk-ssh-ed25519@openssh.com', edBlob.subarray(19), 'ssh:').toString('base64')}`],
    ['an ed25519 certificate (not in the guide)', KEYS.ed25519Cert],
    ['trailing bytes after the key', `ssh-ed25519 ${Buffer.concat([edBlob, Buffer.from([0, 0, 0, 1, 65])]).toString('base64')}`],
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'],
    ['a PKCS#8 private key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'],
    ['two lines', `${KEYS.ed25519}\n${KEYS.ed25519}`],
    ['an incomplete RFC 4716 block', KEYS.rsaRfc4716.replace('---- END SSH2 PUBLIC KEY ----', '')],
    ['a broken PEM key', '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----'],
    ['prose', 'hello world'],
    ['a corrupted v00 certificate', v00RsaCert().replace(/ (\S+) /, (_m, d: string) => ` ${d.slice(0, 200)} `)],
    ['too long', `ssh-rsa ${'A'.repeat(20000)}`],
  ];
  for (const [what, body] of cases) {
    it(what, () => assert.throws(() => parsePublicKey(body), (e: EcsError) => e instanceof EcsError && e.code === 'InvalidPublicKeyBody.Malformed'));
  }
});

describe('fingerprints are MD5 of the key blob, colon-separated lower-case hex', () => {
  it('md5Fingerprint of known bytes', () => {
    assert.equal(md5Fingerprint(Buffer.from('')), 'd4:1d:8c:d9:8f:00:b2:04:e9:80:09:98:ec:f8:42:7e');
    assert.equal(md5Fingerprint(Buffer.from(b64(KEYS.rsa), 'base64')), FP.rsa);
  });
});

describe('CreateKeyPair makes an RSA 2048 key whose private half is unencrypted PEM PKCS#8', () => {
  it('private and public halves match, and the fingerprint is the public blob\'s MD5', async () => {
    const k = await generateRsaKeyPair();
    assert.match(k.privateKeyBody, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/);
    const priv = createPrivateKey(k.privateKeyBody);
    assert.equal(priv.asymmetricKeyType, 'rsa');
    assert.equal(priv.asymmetricKeyDetails?.modulusLength, 2048);
    // The public key line, parsed back by our own parser, is the private key's public half.
    const fromLine = parsePublicKey(k.publicKey);
    assert.equal(fromLine.fingerPrint, k.fingerPrint);
    const jwkPub = createPublicKey(priv).export({ format: 'jwk' });
    const [, e, n] = strings(Buffer.from(b64(k.publicKey), 'base64'));
    const unsigned = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
    assert.equal(unsigned(n!).toString('base64url'), jwkPub.n);
    assert.equal(unsigned(e!).toString('base64url'), jwkPub.e);
    const md5 = createHash('md5').update(Buffer.from(b64(k.publicKey), 'base64')).digest('hex');
    assert.equal(k.fingerPrint.replaceAll(':', ''), md5);
  });
});

describe('DescribeKeyPairs KeyPairName patterns', () => {
  const cases: [string, string, boolean][] = [
    ['SshKey', 'SshKey', true], ['SshKey', 'SshKey2', false], ['SshKey*', 'SshKey', true], ['SshKey*', 'SshKey-prod', true],
    ['*SshKey', 'mySshKey', true], ['*SshKey', 'SshKeyX', false], ['*Ssh*', 'aSshb', true], ['a.b*', 'axb', false],
    ['a.b*', 'a.bc', true], ['*', 'anything', true], ['sshkey*', 'SshKey', false],
  ];
  for (const [pattern, name, ok] of cases) it(`${pattern} ${ok ? 'matches' : 'does not match'} ${name}`, () => assert.equal(matchesNamePattern(pattern, name), ok));
});
