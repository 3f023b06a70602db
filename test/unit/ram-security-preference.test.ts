/** The security preference's rules: defaults, ranges, LoginNetworkMasks and who may sign in from where. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SECURITY_PREFERENCE, mergeSecurityPreference, readSecurityPreference, signInAllowedFrom,
} from '../../src/domain/ram/security-preference.js';

const codeOf = (fn: () => unknown) => {
  try { fn(); return 'ok'; } catch (e) { return (e as { code: string }).code; }
};

describe('security preference', () => {
  it('reads the defaults, and what was stored over them', () => {
    assert.deepEqual(readSecurityPreference(''), DEFAULT_SECURITY_PREFERENCE);
    assert.deepEqual(readSecurityPreference(JSON.stringify({ LoginSessionDuration: 2 })), { ...DEFAULT_SECURITY_PREFERENCE, LoginSessionDuration: 2 });
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['nothing', {}, 'ok'],
    ['1 hour', { LoginSessionDuration: 1 }, 'ok'],
    ['24 hours', { LoginSessionDuration: 24 }, 'ok'],
    ['0 hours', { LoginSessionDuration: 0 }, 'InvalidParameter.LoginSessionDuration'],
    ['25 hours', { LoginSessionDuration: 25 }, 'InvalidParameter.LoginSessionDuration'],
    ['1.5 hours', { LoginSessionDuration: 1.5 }, 'InvalidParameter.LoginSessionDuration'],
    ['masks', { LoginNetworkMasks: '192.168.0.0/16;10.0.0.0/8' }, 'ok'],
    ['an address and an IPv6 block', { LoginNetworkMasks: '203.0.113.7;2001:db8::/32' }, 'ok'],
    ['no masks', { LoginNetworkMasks: '' }, 'ok'],
    ['25 masks', { LoginNetworkMasks: Array.from({ length: 25 }, (_, i) => `10.${i}.0.0/16`).join(';') }, 'ok'],
    ['26 masks', { LoginNetworkMasks: Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`).join(';') }, 'InvalidParameter.LoginNetworkMasks'],
    ['513 characters', { LoginNetworkMasks: '1.1.1.1;'.repeat(64) + '1' }, 'InvalidParameter.LoginNetworkMasks'],
    ['not a network', { LoginNetworkMasks: '10.0.0.0/8;intranet' }, 'InvalidParameter.LoginNetworkMasks'],
    ['a prefix too long', { LoginNetworkMasks: '10.0.0.0/33' }, 'InvalidParameter.LoginNetworkMasks'],
  ];
  for (const [name, change, want] of cases) {
    it(`${name} → ${want}`, () => assert.equal(codeOf(() => mergeSecurityPreference(DEFAULT_SECURITY_PREFERENCE, change)), want));
  }

  it('keeps the fields a change does not name', () => {
    const next = mergeSecurityPreference({ ...DEFAULT_SECURITY_PREFERENCE, AllowUserToManageAccessKeys: true }, { LoginSessionDuration: 3 });
    assert.deepEqual([next.AllowUserToManageAccessKeys, next.LoginSessionDuration, next.AllowUserToChangePassword], [true, 3, true]);
  });

  const from: [string, string, string | undefined, boolean][] = [
    ['no masks, any address', '', '198.51.100.1', true],
    ['no masks, unknown address', '', undefined, true],
    ['inside a block', '10.0.0.0/8;192.168.0.0/16', '192.168.3.4', true],
    ['outside every block', '10.0.0.0/8;192.168.0.0/16', '172.16.0.1', false],
    ['an IPv4-mapped address', '127.0.0.0/8', '::ffff:127.0.0.1', true],
    ['a single address', '203.0.113.7', '203.0.113.7', true],
    ['another single address', '203.0.113.7', '203.0.113.8', false],
    ['IPv6 loopback', '::1', '::1', true],
    ['an IPv6 address against IPv4 blocks', '10.0.0.0/8', '2001:db8::1', false],
    ['masks, unknown address', '10.0.0.0/8', undefined, false],
    ['masks, not an address', '10.0.0.0/8', 'localhost', false],
  ];
  for (const [name, masks, ip, want] of from) it(`sign-in from: ${name} → ${want}`, () => assert.equal(signInAllowedFrom(masks, ip), want));
});
