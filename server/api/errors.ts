// How failures become tRPC errors: storage's named errors get the code that says whose fault it
// is (a block that is not there is NOT_FOUND, a corrupt database an INTERNAL_SERVER_ERROR naming
// the block and part), input validation issues become one readable line, and no stack trace
// or unexpected message ever leaves the server.
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/unstable-core-do-not-import';
import { ChainError, CorruptBlockData, DatabaseTooNewError, MigrationError, ProvingError, type ChainErrorCode, type ProvingErrorCode } from '../../storage/errors.ts';
import { BlockFileError } from '../ingest/format.ts';

const CHAIN_CODES: Record<ChainErrorCode, TRPC_ERROR_CODE_KEY> = {
  NO_GENESIS: 'PRECONDITION_FAILED',
  GENESIS_EXISTS: 'CONFLICT',
  BLOCK_OUT_OF_ORDER: 'CONFLICT',
  BLOCK_NOT_FOUND: 'NOT_FOUND',
  NO_LOG: 'BAD_REQUEST',
  UNKNOWN_PROFILE: 'INTERNAL_SERVER_ERROR',
  PROFILE_MISMATCH: 'BAD_REQUEST',
  MISSING_PREIMAGE: 'INTERNAL_SERVER_ERROR',
  VALUE_OUT_OF_RANGE: 'BAD_REQUEST',
};

/** A block that cannot be proved is the request's problem; a proof that fails is the store's. */
const PROVING_CODES: Record<ProvingErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_PROVABLE: 'PRECONDITION_FAILED',
  BLOB_BASE_FEE: 'PRECONDITION_FAILED',
  TREE_MISMATCH: 'INTERNAL_SERVER_ERROR',
  COMMITMENT_MISMATCH: 'INTERNAL_SERVER_ERROR',
  REPLAY_DIVERGED: 'INTERNAL_SERVER_ERROR',
  PROOF_FAILED: 'INTERNAL_SERVER_ERROR',
};

/** What the error shape's data carries about a zkos error: its class name and code. */
export interface ZkosErrorData {
  name: string;
  code: string;
  block?: number;
}

/** An error the API itself raises, with a code the client can switch on. */
export class ApiError extends TRPCError {
  constructor(
    code: TRPC_ERROR_CODE_KEY,
    readonly reason: string,
    message: string,
  ) {
    super({ code, message });
    this.name = 'ApiError';
  }
}

/** The tRPC error for anything a resolver threw. */
export function toTRPCError(e: unknown): TRPCError {
  if (e instanceof TRPCError) return e;
  if (e instanceof ChainError) return new TRPCError({ code: CHAIN_CODES[e.code], message: e.message, cause: e });
  if (e instanceof ProvingError) return new TRPCError({ code: PROVING_CODES[e.code], message: e.message, cause: e });
  if (e instanceof CorruptBlockData) return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `corrupt stored data: ${e.message}`, cause: e });
  if (e instanceof BlockFileError) return new TRPCError({ code: 'BAD_REQUEST', message: e.message, cause: e });
  if (e instanceof MigrationError || e instanceof DatabaseTooNewError) return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: e.message, cause: e });
  if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string') {
    // Named errors with a code (the machine's OracleError, TapeError, a re-execution mismatch,
    // SQLite's) say what failed; they are still the server's fault, never the request's.
    return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${e.name}: ${e.message}`, cause: e });
  }
  console.error('zkos api: unexpected error', e);
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error (logged on the server)', cause: e instanceof Error ? e : undefined });
}

/** Zod issues as "field.path: message; …". */
export function describeIssues(issues: ReadonlyArray<{ path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; message: string }>): string {
  return issues
    .map((i) => {
      const path = (i.path ?? []).map((p) => (typeof p === 'object' && p !== null ? String(p.key) : String(p))).join('.');
      return `${path === '' ? 'input' : `input.${path}`}: ${i.message}`;
    })
    .join('; ');
}

/** The zkos facts of an error's cause, for the error shape. */
export function zkosErrorData(error: TRPCError): ZkosErrorData | null {
  if (error instanceof ApiError) return { name: 'ApiError', code: error.reason };
  const c = error.cause;
  if (c instanceof ChainError) return { name: c.name, code: c.code };
  if (c instanceof CorruptBlockData || c instanceof ProvingError) return { name: c.name, code: c.code, block: c.block };
  if (c instanceof BlockFileError) return { name: c.name, code: 'BAD_BLOCK_FILE' };
  if (c instanceof Error && typeof (c as { code?: unknown }).code === 'string') return { name: c.name, code: (c as unknown as { code: string }).code };
  return null;
}
