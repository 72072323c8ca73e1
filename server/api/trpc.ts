// The tRPC instance of the API: its context, the error shape (no stacks; readable input errors;
// the zkos error's name and code), and the two kinds of procedure — public ones, and ones that
// cost much or write, which need the server's bearer token.
import { initTRPC, TRPCError } from '@trpc/server';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiServices } from './services.ts';
import { ApiError, describeIssues, toTRPCError, zkosErrorData } from './errors.ts';

export interface ApiContext {
  services: ApiServices;
  /** The bearer token the request presented (Authorization header or connectionParams.token). */
  credential: string | null;
}

const t = initTRPC.context<ApiContext>().create({
  // Stacks are never sent, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data as typeof shape.data & { stack?: string };
    return { ...shape, message: readableMessage(error), data: { ...data, zkos: zkosErrorData(error) } };
  },
  sse: {
    // A comment line every 10 s keeps proxies from closing an idle stream.
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 30_000 },
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Input validation failures say which field is wrong and why, in one line (zod's is JSON). */
function readableMessage(error: TRPCError): string {
  const issues = (error.cause as { issues?: unknown } | undefined)?.issues;
  return error.code === 'BAD_REQUEST' && Array.isArray(issues) && !error.message.startsWith('invalid input') ? `invalid input: ${describeIssues(issues)}` : error.message;
}

/**
 * What a resolver threw that was not a tRPC error reaches here wrapped as INTERNAL_SERVER_ERROR
 * with the original as its cause: storage's named errors get their real codes. Input errors get
 * their readable message here too, so in-process callers see the same as HTTP clients.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const r = await next();
  if (r.ok) return r;
  if (r.error.code === 'INTERNAL_SERVER_ERROR' && r.error.cause !== undefined) throw toTRPCError(r.error.cause);
  const message = readableMessage(r.error);
  if (message !== r.error.message) throw new TRPCError({ code: 'BAD_REQUEST', message, cause: r.error.cause });
  return r;
});

export const publicProcedure = t.procedure.use(mapErrors);

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant-time comparison of the presented token with the configured one. */
function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Throws unless the server has a token and the request presented it. */
export function requireToken(ctx: ApiContext, path: string): void {
  const expected = ctx.services.token;
  if (expected === null) {
    throw new ApiError('FORBIDDEN', 'TOKEN_NOT_CONFIGURED', `${path} is disabled: the server was started without an API token (set ZKOS_API_TOKEN or pass --token-file)`);
  }
  if (ctx.credential === null) throw new ApiError('UNAUTHORIZED', 'TOKEN_MISSING', `${path} needs the API token: send "Authorization: Bearer <token>"`);
  if (!tokenMatches(ctx.credential, expected)) throw new ApiError('UNAUTHORIZED', 'TOKEN_WRONG', `${path}: the bearer token is not the server's`);
}

/** Writes and costly work: the server must have a token, and the request must present it. */
export const tokenProcedure = publicProcedure.use(({ ctx, path, next }) => {
  requireToken(ctx, path);
  return next();
});
