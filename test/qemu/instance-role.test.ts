/**
 * An instance RAM role in a real guest (the security guide, 4.3.3): a server with the qemu driver
 * and the netns network, a role trusted by ecs.aliyuncs.com holding AliyunECSReadOnlyAccess,
 * RunInstances with RamRoleName; inside the guest, over SSH, `wget` reads the role's name and
 * credentials from http://100.100.100.200/latest/meta-data/ram/security-credentials/, and the
 * guest calls the API at the same address (the guest gateway forwards `/?Action=…` to the API):
 * DescribeInstances answers, StopInstance is refused with Forbidden.RAM. Detaching the role stops
 * the credentials and refuses the key the guest holds.
 *
 * The busybox guest has no HMAC tool (no openssl), so the V2 signature of each call is computed
 * on the host from the credentials the guest read; the signed request itself is sent by the
 * guest (nc) to the metadata address. Skips (with the reason) without QEMU, root/netns or ssh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { ramClient } from '../helpers/ram.js';
import { AK, SECRET } from '../helpers/server.js';
import { formEncode, utcStamp, v2Common, v2Signature, v2StringToSign } from '../helpers/raw.js';
import { createKeyFile, qemuSkipReason, sshIntoInstance, startQemuServer, waitStatus } from './fixtures.js';

const R = 'cn-hangzhou';
const ROLE = 'EcsRamRoleDocumentTesting';
const ecsTrust = JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ecs.aliyuncs.com'] } }] });

test('qemu: an instance RAM role\'s credentials read and used inside the guest', async (t) => {
  const reason = await qemuSkipReason({ netns: true, ssh: true });
  if (reason) { t.skip(reason); return; }
  const { s, dataDir, nsName, close } = await startQemuServer('role');
  try {
    const ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    await ram.call('CreateRole', { RoleName: ROLE, AssumeRolePolicyDocument: ecsTrust });
    await ram.call('AttachPolicyToRole', { RoleName: ROLE, PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
    const n = await createNetwork(s, R, '192.168.0.0/16');
    const keyFile = await createKeyFile(s, R, dataDir, 'role-key');
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0', policy: 'accept', priority: '1',
    }));
    const ran = await s.ecs.runInstances(runRequest(n, { keyPairName: 'role-key', instanceName: 'qemu-role', ramRoleName: ROLE }));
    const id = ran.body!.instanceIdSets!.instanceIdSet![0]!;
    await waitStatus(s, R, id, 'Running');
    const { ssh } = await sshIntoInstance(s, R, nsName, keyFile, id);
    t.diagnostic(`guest HMAC tools: ${await ssh('command -v openssl python3 || echo none')}`);

    const md = 'http://100.100.100.200/latest/meta-data';
    assert.match(await ssh(`wget -qO- ${md}/`), /^ram\/$/m);
    assert.equal(await ssh(`wget -qO- ${md}/ram/security-credentials/`), ROLE);
    const creds = JSON.parse(await ssh(`wget -qO- ${md}/Ram/security-credentials/${ROLE}`)) as Record<string, string>;
    assert.equal(creds.Code, 'Success');
    assert.match(creds.AccessKeyId!, /^STS\./);
    assert.match(creds.SecurityToken!, /^CAIS/);

    /** A V2 GET signed with the guest's credentials, sent by the guest to the metadata address. */
    const callFromGuest = async (action: string, api: Record<string, string>) => {
      const params = { ...v2Common(action, { accessKeyId: creds.AccessKeyId!, timestamp: utcStamp() }), SecurityToken: creds.SecurityToken!, ...api };
      const signature = v2Signature(v2StringToSign('GET', params), creds.AccessKeySecret!);
      const path = '/?' + formEncode({ ...params, Signature: signature });
      // The path goes in as printf's argument: its %XX escapes are not a format.
      const raw = await ssh(`(printf 'GET %s HTTP/1.0\\r\\nHost: 100.100.100.200\\r\\n\\r\\n' '${path}'; sleep 3) | nc 100.100.100.200 80`);
      const [head, ...rest] = raw.split(/\r?\n\r?\n/);
      return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head ?? '')?.[1] ?? 0), body: JSON.parse(rest.join('\n\n') || '{}') as Record<string, any> };
    };
    const described = await callFromGuest('DescribeInstances', { RegionId: R, InstanceIds: JSON.stringify([id]) });
    assert.equal(described.status, 200, JSON.stringify(described.body));
    assert.equal(described.body.Instances.Instance[0].InstanceId, id);
    const refused = await callFromGuest('StopInstance', { InstanceId: id });
    assert.deepEqual([refused.status, refused.body.Code], [403, 'Forbidden.RAM']);
    assert.equal((await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0]!.status, 'Running');

    // Detached: nothing served any more, and the key the guest holds is refused.
    await s.ecs.detachInstanceRamRole(new $Ecs.DetachInstanceRamRoleRequest({ regionId: R, instanceIds: JSON.stringify([id]) }));
    assert.match(await ssh(`wget -qO- ${md}/ram/security-credentials/${ROLE} 2>&1; echo "exit $?"`), /404|exit 1/);
    const after = await callFromGuest('DescribeInstances', { RegionId: R });
    assert.deepEqual([after.status, after.body.Code], [404, 'InvalidAccessKeyId.NotFound']);
  } finally {
    await close();
  }
});
