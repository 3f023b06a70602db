import { startTestServer, AK, SECRET } from './test/helpers/server.js';
import PopCore from '@alicloud/pop-core';
const Pop: any = (PopCore as any).default ?? PopCore;
const s = await startTestServer();
const ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
const ecs = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2014-05-26' });
const buf = Buffer.alloc(1024); buf.write('QFI\xfb', 0, 'latin1');
const log = (...a: any[]) => console.log(new Date().toISOString().slice(11, 23), ...a);
log('put', JSON.stringify(await ext.request('PutObject', { RegionId: 'cn-hangzhou', Bucket: 'images', Key: 'disk.qcow2', Content: buf.toString('base64') }, { method: 'POST' })).slice(0, 200));
let r: any;
try {
  r = await ecs.request('ImportImage', { RegionId: 'cn-hangzhou', ImageName: 'console-imported', OSType: 'linux', Platform: 'Debian', Architecture: 'x86_64', DiskDeviceMapping: JSON.stringify([{ OSSBucket: 'images', OSSObject: 'disk.qcow2', Format: 'QCOW2', DiskImageSize: 5 }]) }, { method: 'POST' });
  log('import', JSON.stringify(r));
} catch (e) { log('import err', (e as Error).message); }
for (let i = 0; i < 3; i++) { log('advance', i); await s.advance(1000); }
log('advanced');
if (r) log('task', JSON.stringify(await ext.request('DescribeTaskAttribute', { RegionId: 'cn-hangzhou', TaskId: r.TaskId }, { method: 'POST' })).slice(0, 300));
await s.close(); log('closed');
