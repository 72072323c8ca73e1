// The API over HTTP: tRPC's Node adapter under /trpc (queries by GET, mutations by POST,
// subscriptions as server-sent events), a body size limit, a batch size limit, and the bearer
// token taken from the Authorization header or, for EventSource clients that cannot set headers,
// from the subscription's connectionParams. Everything else answers 404 with a pointer.
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PATH, MAX_BATCH } from './protocol.ts';
import { appRouter } from './router.ts';
import type { ApiServices } from './services.ts';
import type { ApiContext } from './trpc.ts';


export interface RunningServer {
  /** The URL a client is created with, e.g. http://127.0.0.1:8545/trpc */
  url: string;
  server: Server;
  close(): Promise<void>;
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m === null ? null : m[1];
}

/** Starts serving on host:port (port 0: any free port); resolves once listening. */
export function startServer(services: ApiServices, opts: { host: string; port: number }): Promise<RunningServer> {
  const handler = createHTTPHandler({
    router: appRouter,
    basePath: `${API_PATH}/`,
    maxBodySize: services.limits.maxBodyBytes,
    maxBatchSize: MAX_BATCH,
    createContext: ({ req, info }): ApiContext => {
      const fromParams = info.connectionParams?.token;
      return { services, credential: bearer(req) ?? (typeof fromParams === 'string' ? fromParams : null) };
    },
  });
  const server = createServer((req, res) => {
    if (req.url === API_PATH || req.url?.startsWith(`${API_PATH}/`) === true) {
      handler(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `not found: the zkos API is served under ${API_PATH}/<procedure> (tRPC); see README.md` }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        url: `http://${host}:${a.port}${API_PATH}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            services.jobs.cancelAll();
            // Subscriptions keep their connections open: end them rather than wait.
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
