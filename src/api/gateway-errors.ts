/**
 * Requests refused before the dispatcher sees them — a URL or headers beyond the header limit
 * (431), a body beyond the body limit (413), bytes that are not HTTP (400) — still answer an
 * ECS-style error body with a Code and a RequestId, as every other error does, instead of the
 * HTTP server's own `{"error":"Request Header Fields Too Large",...}`.
 */
import type { Socket } from 'node:net';
import { newRequestId } from '../domain/ids.js';

const CODES: Record<number, [string, string]> = {
  400: ['BadRequest', 'The request is not a well-formed HTTP request.'],
  408: ['RequestTimeout', 'The request was not received in time.'],
  413: ['RequestEntityTooLarge', 'The request body is larger than the server accepts.'],
  414: ['RequestURITooLong', 'The request URL is longer than the server accepts.'],
  431: ['RequestHeaderFieldsTooLarge', 'The request URL and headers are larger than the server accepts.'],
};

export function gatewayErrorBody(status: number, message?: string): { requestId: string; body: string } {
  const [code, text] = CODES[status] ?? [status >= 500 ? 'InternalError' : 'BadRequest', 'The request was refused.'];
  const requestId = newRequestId();
  return { requestId, body: JSON.stringify({ RequestId: requestId, HostId: 'ecs.aliyuncs.com', Code: code, Message: message ?? text }) };
}

/** For Fastify's `clientErrorHandler`: the connection-level refusals Node raises before a request exists. */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) { socket.destroy(); return; }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const { requestId, body } = gatewayErrorBody(status);
  socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n`
    + `Content-Type: application/json;charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nx-acs-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`);
}
