// What the server and its clients must agree on beyond the router's types.

/** The path the API is served under. */
export const API_PATH = '/trpc';

/** Calls in one batched request; the client's httpBatchLink uses the same as maxItems. */
export const MAX_BATCH = 50;
