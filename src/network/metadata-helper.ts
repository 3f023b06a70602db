/**
 * The metadata service process: started by the qemu driver inside the instance namespace
 * (`ip netns exec <ns> node --import tsx metadata-helper.ts <docsDir> <address> <port> <gatewayDir>`),
 * it listens on 100.100.100.200:80 and answers from `<docsDir>/<source-ip>.json`, the documents the
 * driver writes when it starts an instance. It needs neither the database nor the server for
 * those, so guests keep their metadata across server restarts; the request's source address
 * names the instance. RAM role credentials and API calls go to the server's guest gateway in
 * `<gatewayDir>` (metadata-server.ts).
 */
import { createMetadataServer } from './metadata-server.js';
import { METADATA_ADDRESS } from './nft-compiler.js';

const docsDir = process.argv[2];
if (!docsDir) { console.error('usage: metadata-helper <docsDir> [address] [port] [gatewayDir]'); process.exit(2); }
const address = process.argv[3] || METADATA_ADDRESS;
const port = Number(process.argv[4] || 80);
const gatewayDir = process.argv[5] || undefined;

const server = createMetadataServer({ docsDir, gatewayDir, log: (m) => console.error(m) });
server.listen(port, address, () => console.log(`metadata service on ${address}:${port} from ${docsDir}${gatewayDir ? `, gateway ${gatewayDir}` : ''}`));
server.on('error', (e) => { console.error(String(e)); process.exit(1); });
