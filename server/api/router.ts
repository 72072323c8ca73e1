// The zkos API: one tRPC router of the routers per area. AppRouter is the type a client imports.
import { chainRouter } from './chain/router.ts';
import { executionRouter } from './execution/router.ts';
import { ingestRouter } from './ingest/router.ts';
import { replayRouter } from './replay/router.ts';
import { stateRouter } from './state/router.ts';
import { txRouter } from './transactions/router.ts';
import { createCallerFactory, router } from './trpc.ts';
import { witnessRouter } from './witness/router.ts';
import { zksyncRouter } from './zksync/router.ts';

export const appRouter = router({
  chain: chainRouter,
  tx: txRouter,
  zksync: zksyncRouter,
  state: stateRouter,
  execution: executionRouter,
  replay: replayRouter,
  witness: witnessRouter,
  ingest: ingestRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (tests, tools): `createCaller({ services, credential })`. */
export const createCaller = createCallerFactory(appRouter);
