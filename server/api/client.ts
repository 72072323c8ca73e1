// A typed client of the zkos API for any TypeScript project:
//
//   import { createZkosClient } from 'zkos/server/api/client.ts';
//   const zkos = createZkosClient('http://127.0.0.1:8545/trpc', process.env.ZKOS_API_TOKEN);
//   const head = await zkos.chain.head.query();
//
// Queries and mutations are batched over HTTP with the token as a bearer header; subscriptions
// run over server-sent events with the token in connectionParams (an EventSource cannot send
// headers). Only types are imported from the server, so nothing of it is bundled.
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError, type TRPCClient, type TRPCLink } from '@trpc/client';
import type { EventSourceLike } from '@trpc/server/unstable-core-do-not-import';
import { observable } from '@trpc/server/observable';
import { MAX_BATCH } from './protocol.ts';
import type { AppRouter } from './router.ts';

export type { AppRouter };
export type ZkosClient = TRPCClient<AppRouter>;

export interface ZkosClientOptions {
  /**
   * The EventSource class subscriptions use; default: the global one (browsers, Node 22+, or
   * Node 20 with --experimental-eventsource). Without any, subscriptions fail with a clear error.
   */
  EventSource?: EventSourceLike.AnyConstructor;
}

/** A link that fails every operation it gets, with the reason. */
function failingLink(reason: string): TRPCLink<AppRouter> {
  return () => () => observable((o) => o.error(new TRPCClientError(reason)));
}

/** The client of the API at `url` (e.g. http://127.0.0.1:8545/trpc), with an optional token. */
export function createZkosClient(url: string, token?: string, options: ZkosClientOptions = {}): ZkosClient {
  const EventSourceClass = options.EventSource ?? (globalThis as { EventSource?: EventSourceLike.AnyConstructor }).EventSource;
  const subscriptions =
    EventSourceClass === undefined
      ? failingLink('subscriptions need an EventSource: use Node 22+, run Node 20 with --experimental-eventsource, or pass options.EventSource')
      : httpSubscriptionLink({ url, EventSource: EventSourceClass, connectionParams: token === undefined ? undefined : { token } });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: subscriptions,
        false: httpBatchLink({ url, maxItems: MAX_BATCH, headers: () => (token === undefined ? {} : { authorization: `Bearer ${token}` }) }),
      }),
    ],
  });
}
