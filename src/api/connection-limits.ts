/**
 * What a connection may hold of the server: Node's own clocks on a request's headers, its whole
 * body and a kept-alive connection's idle time, checked often enough that a slow client (one that
 * trickles its headers a byte at a time, or never finishes its body) is closed close to the
 * configured time rather than up to Node's 30-second check interval later; and, when the
 * operator asks for it, a cap on the connections one peer address keeps open.
 */
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpLimits } from '../config.js';

/** Options for `http.createServer`: the parser's header limit and Node's timeouts. */
export function serverOptions(limits: HttpLimits): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: checkingIntervalMs(limits),
  };
}

/**
 * How often Node looks for requests past their time: a quarter of the shorter timeout, within
 * 0.1–5 s, so the overshoot stays a fraction of the timeout at the cost of a walk over the
 * connections with a request in progress.
 */
export function checkingIntervalMs(limits: Pick<HttpLimits, 'headersTimeoutMs' | 'requestTimeoutMs'>): number {
  return Math.max(100, Math.min(5_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
}

/**
 * Past `max` open connections from one address, a new one is closed at once, before any byte of
 * it is read (as Node's `server.maxConnections` does for the server as a whole). Off by default:
 * behind a load balancer or a NAT every client shares one address.
 */
export function capConnectionsPerIp(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  // The server's own connection handling, taken over so that a refused socket never reaches it.
  const serve = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '';
    const n = open.get(ip) ?? 0;
    if (n >= max) {
      socket.destroy();
      return;
    }
    open.set(ip, n + 1);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
    for (const listener of serve) listener.call(server, socket);
  });
}
