/**
 * VNC actions on the sim driver (validation, statuses, error codes over the official SDK) and the
 * pure pieces: the password rule, WebSocket framing, VNC authentication against a known vector.
 * The real console (QEMU VNC over the WebSocket proxy) is exercised in api.test.ts; what the
 * screen shows (login prompt, keyboard to a shell) in vnc-screen.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkVncPassword } from '../../src/actions/vnc.js';
import { frame, parseFrame } from '../../src/compute/qemu/vnc-proxy.js';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { vncResponse } from './vnc-client.js';

describe('VNC password rule and framing', () => {
  it('accepts exactly 6 letters and digits with upper, lower and digit', () => {
    for (const ok of ['Ab12cd', 'aB3dEf', '1aA111']) assert.doesNotThrow(() => checkVncPassword(ok), ok);
    for (const bad of ['abc123', 'ABC123', 'Abcdef', 'Ab12c', 'Ab12cde', 'Ab12c!', 'Ab 12c', '']) {
      assert.throws(() => checkVncPassword(bad), (e: any) => e.code === 'IncorrectVncPassword.Malformed', bad);
    }
  });
  it('frames round-trip masked and unmasked, short and extended lengths', () => {
    for (const len of [0, 5, 125, 126, 300, 70_000]) {
      const payload = Buffer.alloc(len, 7);
      for (const mask of [undefined, Buffer.from([1, 2, 3, 4])]) {
        const f = frame(2, payload, mask);
        const p = parseFrame(f)!;
        assert.equal(p.opcode, 2);
        assert.equal(p.length, f.length);
        assert.ok(p.payload.equals(payload));
        if (len > 0) assert.equal(parseFrame(f.subarray(0, f.length - 1)), undefined, 'an incomplete frame waits');
      }
    }
  });
  it('VNC authentication response (bit-reversed DES key)', () => {
    // Shape only; that QEMU accepts it (and refuses a wrong password) is checked on a real guest in api.test.ts.
    const challenge = Buffer.from([...Array(16).keys()]);
    const r = vncResponse('Ab12cd', challenge);
    assert.equal(r.length, 16);
    assert.notDeepEqual(r, vncResponse('Ab12ce', challenge));
    assert.deepEqual(vncResponse('Ab12cd', challenge), r, 'deterministic');
  });
});

describe('VNC actions (sim driver)', () => {
  let s: TestServer;
  let id: string;
  before(async () => {
    s = await startTestServer();
    const n = await createNetwork(s);
    const r = await s.ecs.runInstances(runRequest(n));
    id = r.body!.instanceIdSets!.instanceIdSet![0]!;
  });
  after(() => s.close());

  it('DescribeInstanceVncUrl: InstanceNotReady while starting, a ws URL when Running, IncorrectInstanceStatus when Stopped', async () => {
    let e = await expectEcsError(() => s.ecs.describeInstanceVncUrl(new $Ecs.DescribeInstanceVncUrlRequest({ regionId: 'cn-hangzhou', instanceId: id })));
    assert.deepEqual([e.code, e.statusCode], ['InstanceNotReady', 403]);
    await s.advance(5000);
    const r = await s.ecs.describeInstanceVncUrl(new $Ecs.DescribeInstanceVncUrlRequest({ regionId: 'cn-hangzhou', instanceId: id }));
    assert.match(r.body!.vncUrl!, /^wss?:\/\/.+\/webSocket\/\?s=[A-Za-z0-9_-]{24}$/);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await s.advance(5000);
    e = await expectEcsError(() => s.ecs.describeInstanceVncUrl(new $Ecs.DescribeInstanceVncUrlRequest({ regionId: 'cn-hangzhou', instanceId: id })));
    assert.deepEqual([e.code, e.statusCode], ['IncorrectInstanceStatus', 403]);
  });

  it('ModifyInstanceVncPasswd: the 6-character rule, unknown instance, DryRun-free success', async () => {
    const req = (instanceId: string, vncPassword: string) => new $Ecs.ModifyInstanceVncPasswdRequest({ regionId: 'cn-hangzhou', instanceId, vncPassword });
    for (const bad of ['abc123', 'Ab12cde', 'Ab12c!']) {
      const e = await expectEcsError(() => s.ecs.modifyInstanceVncPasswd(req(id, bad)));
      assert.deepEqual([e.code, e.statusCode], ['IncorrectVncPassword.Malformed', 400], bad);
    }
    const e = await expectEcsError(() => s.ecs.modifyInstanceVncPasswd(req('i-doesnotexist000000', 'Ab12cd')));
    assert.deepEqual([e.code, e.statusCode], ['InvalidInstanceId.NotFound', 404]);
    const ok = await s.ecs.modifyInstanceVncPasswd(req(id, 'Ab12cd'));
    assert.equal(ok.statusCode, 200);
    assert.ok(ok.body!.requestId);
  });
});
