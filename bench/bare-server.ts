/**
 * The baseline: a bare node:http handler that answers every request with a fixed body (the same
 * bytes OpenECS answered for the action under test), so the ratio isolates what OpenECS adds:
 * routing, signature checks, validation, the database and rendering.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

const body = process.env.BARE_BODY_FILE ? readFileSync(process.env.BARE_BODY_FILE) : Buffer.from('{}');
const server = http.createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  console.log(`listening on ${typeof addr === 'object' && addr ? addr.port : ''}`);
});
