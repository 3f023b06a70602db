/**
 * The pure parts of PayByTraffic metering: the bytes a counter holds past its baseline
 * (src/domain/billing/traffic.ts: resets bill what the counter holds, never a negative or a
 * double charge), and the per-class byte counts read from `tc -s class show` (src/network/eip-wire.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { unbilledBytes, type TrafficBaseline } from '../../src/domain/billing/traffic.js';
import { parseClassBytes } from '../../src/network/eip-wire.js';

describe('unbilledBytes', () => {
  const cases: [string, TrafficBaseline | undefined, { epoch: string; bytes: number }, number][] = [
    ['no baseline: all of it', undefined, { epoch: 'a', bytes: 500 }, 500],
    ['the delta past the baseline', { epoch: 'a', bytes: 500 }, { epoch: 'a', bytes: 1200 }, 700],
    ['no new bytes', { epoch: 'a', bytes: 500 }, { epoch: 'a', bytes: 500 }, 0],
    ['below the baseline (rebuilt): what it holds', { epoch: 'a', bytes: 500 }, { epoch: 'a', bytes: 200 }, 200],
    ['another epoch (restart), even past the baseline: what it holds', { epoch: 'a', bytes: 500 }, { epoch: 'b', bytes: 900 }, 900],
    ['another epoch with nothing yet', { epoch: 'a', bytes: 500 }, { epoch: 'b', bytes: 0 }, 0],
  ];
  for (const [name, baseline, counter, want] of cases) {
    it(name, () => assert.equal(unbilledBytes(baseline, { address: '198.18.0.1', ...counter }), want));
  }
});

describe('parseClassBytes', () => {
  it('reads each HTB class\'s Sent bytes', () => {
    const text = [
      'class htb 1:10 root prio 0 rate 5Mbit ceil 5Mbit burst 1600b cburst 1600b ',
      ' Sent 10485760 bytes 7000 pkt (dropped 0, overlimits 0 requeues 0) ',
      ' backlog 0b 0p requeues 0',
      ' lended: 0 borrowed: 0 giants: 0',
      ' tokens: 40000 ctokens: 40000',
      '',
      'class htb 1:11 root prio 0 rate 1Mbit ceil 1Mbit burst 1600b cburst 1600b ',
      ' Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) ',
      '',
    ].join('\n');
    assert.deepEqual([...parseClassBytes(text)], [['1:10', 10485760], ['1:11', 0]]);
  });
  it('no classes: nothing', () => assert.deepEqual([...parseClassBytes('')], []));
});
