import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { Collector } from './Collector';

/** @public */
export interface CollectorServerOptions {
  collector: Collector;
  /** Where the SDKs post (default `/collect`); `<path>/ping` and `/ping` answer pings. */
  path?: string;
}

/**
 * The standalone collector: what the AWS container runs behind its load balancer.
 * `GET /health` is the load balancer's health check.
 * @public
 */
export function createCollectorServer(options: CollectorServerOptions): Server {
  const path = (options.path ?? '/collect').replace(/\/+$/, '') || '/';
  const { collector } = options;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const pathname = queryAt < 0 ? url : url.slice(0, queryAt);
    if (pathname === path) {
      collector.collect(req, res);
    } else if (
      req.method === 'GET' &&
      (pathname === `${path}/ping` || pathname === '/ping')
    ) {
      collector.ping(req, res);
    } else if (req.method === 'GET' && pathname === '/health') {
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end('{"status":"ok"}');
    } else {
      res
        .writeHead(404, { 'Content-Type': 'application/json' })
        .end('{"error":"not found"}');
    }
  });
  // Keep-alive longer than the load balancer's idle timeout, so it never reuses a closed socket.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
