/**
 * One port for HTTP and HTTPS. The first byte of a connection tells them apart (a TLS record
 * starts with 0x16, a handshake; an HTTP request with a method name), so a client configured for
 * `http://host:port` and one that insists on `https://host:port` reach the same server.
 */
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';

const TLS_HANDSHAKE = 0x16;

/**
 * A connection must show its first byte, and a TLS one finish its handshake, within the headers
 * timeout (`options.headersTimeout`): until then the HTTP server does not know the socket, so its
 * own clock does not run on it.
 */
export function createDualProtocolServer(options: ServerOptions, tls: { key: string; cert: string }, handler: RequestListener): HttpServer {
  const undecidedTimeoutMs = options.headersTimeout ?? 30_000;
  const server = createHttpServer(options, handler);
  // The HTTP server's own connection handling, taken over so that TLS connections can be
  // unwrapped first and then handed to it like any other.
  const httpConnection = server.listeners('connection')[0] as (socket: Socket) => void;
  server.removeAllListeners('connection');
  const serveHttp = (socket: Socket) => httpConnection.call(server, socket);

  // Connections the HTTP server does not know yet: close() must end them itself, or it would
  // wait for them for ever.
  const undecided = new Set<Socket>();
  const hold = (socket: Socket) => {
    undecided.add(socket);
    socket.setTimeout(undecidedTimeoutMs, () => socket.destroy());
  };
  const release = (socket: Socket) => {
    undecided.delete(socket);
    socket.setTimeout(0);
  };
  const close = server.close.bind(server);
  server.close = ((callback?: (err?: Error) => void) => {
    for (const socket of undecided) socket.destroy();
    return close(callback);
  }) as typeof server.close;

  const secureContext = createSecureContext({ key: tls.key, cert: tls.cert });
  const serveTls = (raw: Socket) => {
    const socket = new TLSSocket(raw, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
    hold(socket);
    socket.once('secure', () => {
      release(socket);
      serveHttp(socket);
    });
    socket.on('error', () => socket.destroy());
    // A client that gives up during the handshake (say, it does not trust the certificate) only ends.
    socket.once('end', () => { if (undecided.has(socket)) socket.destroy(); });
    // The TLS socket runs on the raw socket's handle; the raw one must end with it, or the
    // server would count it open for ever and never finish closing.
    socket.once('close', () => {
      undecided.delete(socket);
      raw.destroy();
    });
  };

  server.on('connection', (socket: Socket) => {
    hold(socket);
    socket.once('close', () => undecided.delete(socket));
    socket.once('readable', () => {
      release(socket);
      const head: Buffer | null = socket.read(1);
      if (head === null) {
        // Closed before a byte arrived; the HTTP server accounts for the socket as usual.
        serveHttp(socket);
        return;
      }
      socket.unshift(head);
      if (head[0] === TLS_HANDSHAKE) serveTls(socket);
      else serveHttp(socket);
    });
  });
  return server;
}
