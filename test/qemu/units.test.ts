/** Pure pieces of the qemu driver: cpio format, bzImage payload lookup, guest network, sizing, hot-plug placement, boot mode, DHCP configuration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { cpioArchive } from '../../src/compute/qemu/cpio.js';
import { findPayload } from '../../src/compute/qemu/kernel.js';
import { guestNetwork, seedArchive, decodeUserData } from '../../src/compute/qemu/seed.js';
import { guestSize } from '../../src/compute/qemu/sizing.js';
import { diskArguments, serialOf, slotFor } from '../../src/compute/qemu/hotplug.js';
import { bootModeOfSuperblock, parseHexDump } from '../../src/compute/qemu/boot-mode.js';
import { dnsmasqConfig, hostLine, rangeOf } from '../../src/network/dhcp.js';

/** Minimal newc reader, enough to check what we wrote. */
function readCpio(buf: Buffer) {
  const out: { name: string; mode: number; data: Buffer }[] = [];
  let off = 0;
  const pad = (n: number) => (n + 3) & ~3;
  while (off < buf.length) {
    assert.equal(buf.toString('latin1', off, off + 6), '070701');
    const field = (i: number) => parseInt(buf.toString('latin1', off + 6 + i * 8, off + 14 + i * 8), 16);
    const mode = field(1), size = field(6), nameSize = field(11);
    const name = buf.toString('utf8', off + 110, off + 110 + nameSize - 1);
    const dataOff = pad(off + 110 + nameSize);
    if (name === 'TRAILER!!!') break;
    out.push({ name, mode, data: buf.subarray(dataOff, dataOff + size) });
    off = pad(dataOff + size);
  }
  return out;
}

test('cpio newc: entries, modes, symlinks, 512-byte alignment', () => {
  const a = cpioArchive([
    { type: 'dir', path: '/bin' },
    { type: 'file', path: 'bin/hello', data: 'hi\n', mode: 0o755 },
    { type: 'symlink', path: 'bin/sh', target: 'busybox' },
    { type: 'char', path: 'dev/console', major: 5, minor: 1 },
  ]);
  assert.equal(a.length % 512, 0);
  const e = readCpio(a);
  assert.deepEqual(e.map((x) => x.name), ['bin', 'bin/hello', 'bin/sh', 'dev/console']);
  assert.equal(e[0].mode, 0o040755);
  assert.equal(e[1].mode, 0o100755);
  assert.equal(e[1].data.toString(), 'hi\n');
  assert.equal(e[2].mode, 0o120777);
  assert.equal(e[2].data.toString(), 'busybox');
  assert.equal(e[3].mode, 0o020600);
});

test('bzImage payload: found from the header, else by magic', () => {
  const payload = gzipSync(Buffer.from('\x7fELF-not-really'));
  const bz = Buffer.alloc(0x1000 + payload.length);
  bz[0x1f1] = 3; // setup sectors → protected-mode code at 4*512
  bz.write('HdrS', 0x202, 'latin1');
  bz.writeUInt32LE(0x100, 0x248);
  bz.writeUInt32LE(payload.length, 0x24c);
  payload.copy(bz, 4 * 512 + 0x100);
  const p = findPayload(bz)!;
  assert.equal(p.format, 'gzip');
  assert.equal(p.data.length, payload.length);
  const noHeader = Buffer.concat([Buffer.alloc(100), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2])]);
  assert.equal(findPayload(noHeader)!.format, 'xz');
  assert.equal(findPayload(Buffer.alloc(64)), undefined);
});

test('guest network: ECS gateway is the vSwitch .253', () => {
  const cases: [string, string | undefined, { prefix: number; gateway: string; dns: string; cidr: string } | undefined][] = [
    ['172.16.0.10', '172.16.0.0/24', { prefix: 24, gateway: '172.16.0.253', dns: '172.16.0.254', cidr: '172.16.0.0/24' }],
    ['192.168.3.7', undefined, { prefix: 24, gateway: '192.168.3.253', dns: '192.168.3.254', cidr: '192.168.3.0/24' }],
    ['10.1.5.9', '10.1.0.0/16', { prefix: 16, gateway: '10.1.255.253', dns: '10.1.255.254', cidr: '10.1.0.0/16' }],
    ['10.0.0.5', 'garbage', { prefix: 24, gateway: '10.0.0.253', dns: '10.0.0.254', cidr: '10.0.0.0/24' }],
    ['', '10.0.0.0/24', undefined],
  ];
  for (const [ip, cidr, want] of cases) {
    const got = guestNetwork(ip, cidr);
    if (!want) assert.equal(got, undefined, ip);
    else assert.deepEqual(got, { ip, ...want }, `${ip} ${cidr}`);
  }
});

test('guest size: capped by the host, floored for the kernel', () => {
  const caps = { maxVcpus: 1, maxMemoryMiB: 256 };
  const cases: [number, number, number, number][] = [
    [2, 4096, 1, 256], [1, 512, 1, 256], [1, 0, 1, 128], [0, 64, 1, 128], [8, 200, 1, 200],
  ];
  for (const [cpu, mem, vcpus, memoryMiB] of cases) assert.deepEqual(guestSize(cpu, mem, caps), { vcpus, memoryMiB }, `${cpu}/${mem}`);
  assert.deepEqual(guestSize(4, 8192, { maxVcpus: 2, maxMemoryMiB: 1024 }), { vcpus: 2, memoryMiB: 1024 });
});

test('seed: metadata quoted for the shell, user data decoded, key and password', () => {
  const seed = seedArchive({
    instanceId: 'i-abc', hostName: "it's-host", cpu: 1, memoryMiB: 1024, imageId: 'm-1', osType: 'linux', vpcId: 'vpc-1',
    vswitchId: 'vsw-1', privateIp: '172.16.0.10', userData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
    keyPairName: 'k', publicKey: 'ssh-ed25519 AAAA test', password: 'Pw1!', disks: [],
  });
  const e = Object.fromEntries(readCpio(seed).map((x) => [x.name, x]));
  const meta = e['seed/meta'].data.toString();
  assert.match(meta, /^INSTANCE_ID='i-abc'$/m);
  assert.match(meta, /^HOSTNAME='it'\\''s-host'$/m);
  assert.match(meta, /^GATEWAY='172.16.0.253'$/m);
  assert.equal(e['seed/user-data'].data.toString(), '#!/bin/sh\necho hi\n');
  assert.equal(e['seed/authorized_keys'].data.toString(), 'ssh-ed25519 AAAA test\n');
  assert.equal(e['seed/password'].data.toString(), 'Pw1!');
  assert.equal(e['seed/password'].mode & 0o777, 0o600);
  assert.equal(decodeUserData(''), undefined);
});

test('hot-plug placement: slots from device names, the first free otherwise; system disk on the root bus', () => {
  const cases: [string | undefined, number[], number | undefined][] = [
    ['/dev/xvdb', [], 1], ['/dev/xvdz', [], 25], ['/dev/vdc', [], 2], ['/dev/xvdb', [1], 2],
    [undefined, [1, 2, 3], 4], ['/dev/xvda', [], 1], ['bogus', [], 1],
    [undefined, Array.from({ length: 31 }, (_, i) => i + 1), undefined],
  ];
  for (const [device, taken, want] of cases) assert.equal(slotFor(device, new Set(taken)), want, `${device} with ${taken.length} taken`);
  assert.equal(serialOf('d-bp1abcdefghijklmnopq'), 'bp1abcdefghijklmnopq');
  const args = diskArguments([
    { diskId: 'd-sys', file: '/x/sys.qcow2', type: 'system' },
    { diskId: 'd-two', file: '/x/two.qcow2', type: 'data', device: '/dev/xvdc' },
    { diskId: 'd-one', file: '/x/one.qcow2', type: 'data', device: '/dev/xvdc' },
  ]);
  const devices = args.filter((_, i) => args[i - 1] === '-device');
  assert.deepEqual(devices, [
    'pci-bridge,id=hp0,chassis_nr=1,shpc=on',
    'virtio-blk-pci,drive=d-sys,id=vd-d-sys,serial=sys',
    'virtio-blk-pci,drive=d-two,id=vd-d-two,serial=two,bus=hp0,addr=0x2',
    'virtio-blk-pci,drive=d-one,id=vd-d-one,serial=one,bus=hp0,addr=0x1',
  ]);
  assert.ok(args.includes('PIIX4_PM.acpi-pci-hotplug-with-bridge-support=off'), 'the bridge signals the guest through its own SHPC');
  const firmware = diskArguments([{ diskId: 'd-sys', file: '/x/sys.qcow2', type: 'system' }], { firmwareBoot: true });
  assert.ok(firmware.includes('virtio-blk-pci,drive=d-sys,id=vd-d-sys,serial=sys,bootindex=0'), 'the firmware boots the system disk');
});

test('boot mode from the superblock: only the built-in root boots the built-in kernel', () => {
  const sb = (magic: number, label: string) => { const b = Buffer.alloc(256); b.writeUInt16LE(magic, 0x38); b.write(label, 0x78, 'latin1'); return b; };
  const cases: [Buffer, string][] = [
    [sb(0xef53, 'openecs-root'), 'direct'], [sb(0xef53, 'cloudimg-rootfs'), 'firmware'], [sb(0xef53, ''), 'firmware'],
    [sb(0x1234, 'openecs-root'), 'firmware'], [Buffer.alloc(0), 'firmware'],
  ];
  for (const [b, want] of cases) assert.equal(bootModeOfSuperblock(b), want);
  const dump = '00000400:  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f  ................\n00000410:  53 ef  S.\nread 18/18 bytes at offset 1024\n';
  assert.deepEqual([...parseHexDump(dump)], [...Array.from({ length: 16 }, (_, i) => i), 0x53, 0xef]);
});

test('DHCP configuration: one static range per vSwitch CIDR, one host line per instance', () => {
  const cases: [string, string, string][] = [['10.20.0.0/20', '10.20.0.0', '255.255.240.0'], ['192.168.5.77/24', '192.168.5.0', '255.255.255.0'], ['172.16.0.0/12', '172.16.0.0', '255.240.0.0']];
  for (const [cidr, network, netmask] of cases) assert.deepEqual(rangeOf(cidr), { network, netmask });
  const conf = dnsmasqConfig('/run/x', ['10.20.0.0/20', '10.20.16.0/20', '10.20.0.0/20']);
  assert.deepEqual(conf.split('\n').filter((l) => l.startsWith('dhcp-range=')), ['dhcp-range=10.20.0.0,static,255.255.240.0,infinite', 'dhcp-range=10.20.16.0,static,255.255.240.0,infinite']);
  assert.ok(conf.includes('port=0\n'), 'DHCP only, no DNS');
  assert.equal(hostLine({ instanceId: 'i-1', mac: '00:16:3e:00:00:01', ip: '10.20.0.5', hostname: 'web_1.example', cidr: '10.20.0.0/20' }), '00:16:3e:00:00:01,10.20.0.5,web-1-example\n');
});
