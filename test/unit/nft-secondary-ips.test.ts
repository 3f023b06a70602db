/** Secondary private IPv4 addresses on the wire (src/network/nft-compiler.ts): they lead to their NIC's chains, as its primary address does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderRuleset } from '../../src/network/nft-compiler.js';

test('a NIC\'s secondary addresses meet its ingress and egress chains; one held by another NIC first stays that NIC\'s', () => {
  const text = renderRuleset({
    table: 't', members: {},
    nics: [
      { instanceId: 'i-a', ip: '192.168.0.10', secondaryIps: ['192.168.0.20', '192.168.0.21'], groups: [] },
      { instanceId: 'eni-b', ip: '192.168.0.30', secondaryIps: ['192.168.0.10'], groups: [] },
    ],
  });
  const map = (side: string) => text.match(new RegExp(`ip ${side} vmap \\{ ([^}]*) \\}`))![1]!;
  assert.equal(map('daddr'), '192.168.0.10 : jump in_i_a, 192.168.0.20 : jump in_i_a, 192.168.0.21 : jump in_i_a, 192.168.0.30 : jump in_eni_b');
  assert.equal(map('saddr'), '192.168.0.10 : jump eg_i_a, 192.168.0.20 : jump eg_i_a, 192.168.0.21 : jump eg_i_a, 192.168.0.30 : jump eg_eni_b');
});
