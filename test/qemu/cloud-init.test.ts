/**
 * The real cloud-init against our metadata service: Debian's cloud-init package (downloaded with
 * apt and unpacked, never installed) runs its AliYun datasource, the code stock cloud images run
 * at boot, against the metadata helper on loopback. It must crawl back exactly the tree we serve
 * and find the document's instance id, hostname, public keys, user data (as a shell-script part),
 * network config for the NIC with the document's MAC, and log no warnings; a second document
 * without keys or user data must read as empty, not as an error. Stand-ins for what only a guest
 * has: the SMBIOS product name (cloud-init reads the service only when it says `Alibaba Cloud
 * ECS`) and the NIC's MAC. Skips without Debian's /usr/bin/python3 and cloud-init's Python
 * dependencies, or when apt cannot download the package.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { run } from '../../src/host/exec.js';
import { metadataTree, type InstanceMetadata } from '../../src/network/metadata.js';
import { freePort } from '../helpers/process.js';

const PYTHON = '/usr/bin/python3'; // Debian's, where apt puts cloud-init's dependencies (not pyenv's)
const PY_PACKAGES = { yaml: 'python3-yaml', requests: 'python3-requests', configobj: 'python3-configobj' };
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HELPER = join(ROOT, 'src/network/metadata-helper.ts');

/** cloud-init's Python tree from Debian's package, unpacked once per version under the temp dir; or why not. */
async function cloudInitTree(): Promise<{ py: string; version: string } | { skip: string }> {
  const show = await run('apt-cache', ['show', '--no-all-versions', 'cloud-init']).catch((e: Error) => e);
  const version = show instanceof Error ? undefined : /^Version: (\S+)$/m.exec(show.stdout)?.[1];
  if (!version) return { skip: `apt knows no cloud-init package${show instanceof Error ? `: ${show.message}` : ''}` };
  const dir = join(tmpdir(), `openecs-cloud-init-${version}`);
  const py = join(dir, 'usr/lib/python3/dist-packages');
  if (existsSync(join(py, 'cloudinit/sources/DataSourceAliYun.py'))) return { py, version };
  const work = await mkdtemp(join(tmpdir(), 'openecs-cloud-init-get-'));
  try {
    await run('apt-get', ['download', `cloud-init=${version}`], { cwd: work, timeoutMs: 120_000 });
    const deb = (await readdir(work)).find((f) => f.endsWith('.deb'));
    if (!deb) return { skip: 'apt-get download cloud-init left no .deb' };
    await run('dpkg', ['-x', join(work, deb), join(work, 'x')]);
    await rename(join(work, 'x'), dir).catch((e: Error) => { if (!existsSync(py)) throw e; }); // a parallel run won
    return { py, version };
  } catch (e) {
    return { skip: `cannot get the cloud-init package with apt: ${(e as Error).message}` };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// Runs like cloud-init's init stage: get_data() crawls and persists instance data, then the
// datasource answers. Warnings are collected: cloud-init logs, rather than raises, what it dislikes.
const PROBE = `
import base64, json, logging, sys
from unittest import mock

from cloudinit import distros, helpers
from cloudinit.sources import DataSourceAliYun

url, root, mac = sys.argv[1:4]
warnings = []
class Keep(logging.Handler):
    def emit(self, record): warnings.append(record.getMessage())
logging.getLogger().addHandler(Keep(logging.WARNING))  # after the imports: cloudinit.log resets the root logger

paths = helpers.Paths({'cloud_dir': root + '/cloud', 'run_dir': root + '/run'})
distro = distros.fetch('debian')('debian', {}, paths)
sys_cfg = {'datasource': {'AliYun': {'metadata_urls': [url], 'timeout': 2, 'max_wait': 5}}}
dmi = {'system-product-name': 'Alibaba Cloud ECS'}
with mock.patch('cloudinit.dmi.read_dmi_data', dmi.get), \\
        mock.patch('cloudinit.net.get_interfaces_by_mac', lambda: {mac: 'eth0'}), \\
        mock.patch('cloudinit.net.find_fallback_nic', lambda: 'eth0'):
    ds = DataSourceAliYun.DataSourceAliYun(sys_cfg, distro, paths)
    found = ds.get_data()
    ud = ds.userdata_raw or b''
    with open(paths.get_runpath('instance_data')) as f:
        v1 = json.load(f)['v1']
    print(json.dumps({
        'found': found, 'cloudName': ds.cloud_name, 'subplatform': ds.subplatform,
        'instanceId': ds.get_instance_id(), 'hostname': ds.get_hostname().hostname,
        'publicKeys': ds.get_public_ssh_keys(), 'metadata': ds.metadata,
        'userData': base64.b64encode(ud).decode() if isinstance(ud, bytes) else ud,
        'userDataParts': [p.get_content_type() for p in ds.get_userdata().walk() if not p.is_multipart()],
        'region': ds.region, 'availabilityZone': ds.availability_zone, 'networkConfig': ds.network_config,
        'v1': {k: v1.get(k) for k in ('cloud_name', 'instance_id', 'local_hostname', 'public_ssh_keys')},
        'warnings': warnings,
    }))
`;

interface Seen {
  found: boolean; cloudName: string; subplatform: string; instanceId: string; hostname: string; publicKeys: string[];
  metadata: unknown; userData: string; userDataParts: string[]; region: string | null; availabilityZone: string | null;
  networkConfig: unknown; v1: Record<string, unknown>; warnings: string[];
}

const doc: InstanceMetadata = {
  instanceId: 'i-bp1cloudinit0001', hostname: 'ci-host-1', privateIp: '192.168.3.21', mac: '00:16:3e:0a:0b:0c',
  regionId: 'cn-hangzhou', zoneId: 'cn-hangzhou-h', imageId: 'debian_12_x64', instanceType: 'ecs.g7.large',
  vpcId: 'vpc-ci', vswitchId: 'vsw-ci', vpcCidr: '192.168.0.0/16', vswitchCidr: '192.168.0.0/20',
  gateway: '192.168.15.253', netmask: '255.255.240.0', serialNumber: 'sn-ci', ownerAccountId: '1234567890123456',
  publicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOk1 alice\n', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB bob'],
  userData: Buffer.from('#!/bin/sh\necho "hello from user data" > /run/hello\n').toString('base64'), eniId: 'eni-ci',
};

test('cloud-init AliYun datasource reads our metadata service', { timeout: 180_000 }, async (t) => {
  if (!existsSync(PYTHON)) { t.skip(`${PYTHON} is missing (apt-get install python3)`); return; }
  const missing: string[] = [];
  for (const [mod, pkg] of Object.entries(PY_PACKAGES)) await run(PYTHON, ['-c', `import ${mod}`]).catch(() => missing.push(pkg));
  if (missing.length) { t.skip(`cloud-init needs: apt-get install ${missing.join(' ')}`); return; }
  const ci = await cloudInitTree();
  if ('skip' in ci) { t.skip(ci.skip); return; }
  t.diagnostic(`cloud-init ${ci.version}`);

  const tmp = await mkdtemp(join(tmpdir(), 'openecs-cloud-init-'));
  const port = await freePort();
  const helper = spawn(process.execPath, ['--import', 'tsx', HELPER, tmp, '127.0.0.1', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => helper.on('exit', () => resolve()));
  let log = '';
  helper.stdout.on('data', (d) => { log += d; });
  helper.stderr.on('data', (d) => { log += d; });
  try {
    for (const deadline = Date.now() + 30_000; !log.includes('metadata service on');) {
      if (helper.exitCode !== null || Date.now() > deadline) throw new Error(`metadata helper did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await writeFile(join(tmp, 'probe.py'), PROBE);
    // The helper answers from `<source-ip>.json` and reads it per request, so rewriting it swaps the instance.
    const crawl = async (m: InstanceMetadata, name: string): Promise<Seen> => {
      await writeFile(join(tmp, '127.0.0.1.json'), JSON.stringify(m));
      const out = await promisify(execFile)(PYTHON, [join(tmp, 'probe.py'), `http://127.0.0.1:${port}`, join(tmp, name), m.mac], {
        env: { ...process.env, PYTHONPATH: ci.py }, timeout: 60_000,
      }).catch((e: Error & { stderr?: string }) => { throw new Error(`cloud-init probe failed: ${e.stderr ?? e.message}`); });
      return JSON.parse(out.stdout) as Seen;
    };

    const seen = await crawl(doc, 'full');
    assert.deepEqual(seen.warnings, []);
    assert.equal(seen.found, true);
    assert.equal(seen.cloudName, 'aliyun');
    assert.equal(seen.subplatform, `metadata (http://127.0.0.1:${port})`);
    assert.equal(seen.instanceId, doc.instanceId);
    assert.equal(seen.hostname, doc.hostname);
    assert.deepEqual(seen.publicKeys, doc.publicKeys.map((k) => k.trim()));
    assert.equal(seen.userData, doc.userData);
    assert.deepEqual(seen.userDataParts, ['text/x-shellscript']);
    // Every path we serve, crawled back through cloud-init's listing parser (no leaf here has a newline or JSON object).
    assert.deepEqual(seen.metadata, metadataTree(doc));
    const md = seen.metadata as Record<string, unknown>;
    assert.equal(md['region-id'], doc.regionId);
    assert.equal(md['zone-id'], doc.zoneId);
    assert.equal(md['private-ipv4'], doc.privateIp);
    // cloud-init 22.4 takes these from EC2's placement/availability-zone, which ECS does not serve: null there.
    assert.ok(seen.availabilityZone === null || seen.availabilityZone === doc.zoneId, `zone ${seen.availabilityZone}`);
    assert.ok(seen.region === null || seen.region === doc.regionId, `region ${seen.region}`);
    assert.deepEqual(seen.networkConfig, {
      version: 2, ethernets: { eth0: { dhcp4: true, dhcp6: false, match: { macaddress: doc.mac }, 'set-name': 'eth0' } },
    });
    assert.deepEqual(seen.v1, { cloud_name: 'aliyun', instance_id: doc.instanceId, local_hostname: doc.hostname, public_ssh_keys: seen.publicKeys });

    const bare = await crawl({ ...doc, instanceId: 'i-bp1cloudinit0002', publicKeys: [], userData: '' }, 'bare');
    assert.deepEqual(bare.warnings, []);
    assert.equal(bare.found, true);
    assert.equal(bare.instanceId, 'i-bp1cloudinit0002');
    assert.deepEqual(bare.publicKeys, []);
    assert.equal(bare.userData, '');
    assert.equal((bare.metadata as Record<string, unknown>)['public-keys'], undefined);
  } finally {
    if (helper.exitCode === null) { helper.kill(); await exited; }
    await rm(tmp, { recursive: true, force: true });
  }
});
