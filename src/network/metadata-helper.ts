/**
 * The metadata service process: started by the qemu driver inside the instance namespace
 * (`ip netns exec <ns> node --import tsx metadata-helper.ts <docsDir>`), it listens on
 * 100.100.100.200:80 and answers from `<docsDir>/<source-ip>.json`, the documents the driver
 * writes when it starts an instance. It needs neither the database nor the server, so guests keep
 * their metadata across server restarts; the request's source address names the instance.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MetadataService, type InstanceMetadata } from './metadata.js';
import { METADATA_ADDRESS } from './nft-compiler.js';

const docsDir = process.argv[2];
if (!docsDir) { console.error('usage: metadata-helper <docsDir> [address] [port]'); process.exit(2); }
const address = process.argv[3] ?? METADATA_ADDRESS;
const port = Number(process.argv[4] ?? 80);

async function documentFor(ip: string): Promise<InstanceMetadata | undefined> {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return undefined;
  try { return JSON.parse(await readFile(join(docsDir, `${ip}.json`), 'utf8')) as InstanceMetadata; } catch { return undefined; }
}

const service = new MetadataService();

const server = createServer((req, res) => {
  const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  void documentFor(ip).then((doc) => {
    const a = service.answer(doc, { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, sourceIp: ip });
    res.writeHead(a.status, { 'content-type': a.contentType, server: 'openecs-metadata' });
    res.end(req.method === 'HEAD' ? undefined : a.body);
  }, () => { res.writeHead(500); res.end(); });
});
server.listen(port, address, () => console.log(`metadata service on ${address}:${port} from ${docsDir}`));
server.on('error', (e) => { console.error(String(e)); process.exit(1); });
