// The storage layer's named errors. Each carries a machine-readable code and the place it is about
// (file, block, position), so a caller can tell a bad database from a bad request.

/** The database was written by a newer zkos: its schema version is above every migration known. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly path: string,
    readonly version: number,
    readonly supported: number,
  ) {
    super(`database ${path} has schema version ${version}, this zkos knows migrations up to ${supported}: upgrade zkos to open it`);
    this.name = 'DatabaseTooNewError';
  }
}

export type MigrationErrorCode =
  | 'BAD_MIGRATION_NAME' // a file in migrations/ that is not NNN_name.sql
  | 'MIGRATION_GAP' // numbers not 1, 2, 3, … without holes or duplicates
  | 'MIGRATION_EDITED' // an applied migration's text differs from what was applied
  | 'MIGRATION_FAILED' // the SQL of a migration failed (nothing of it was applied)
  | 'NOT_A_ZKOS_DATABASE'; // an application_id that is not ours

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'MigrationError';
  }
}

/** Which stored blob or row a corruption was found in. */
export type StoredPart = 'oracle_log' | 'io_events' | 'block' | 'transaction' | 'preimage';

/**
 * A stored block whose data cannot be trusted: a checksum that does not match, a blob that does
 * not decode. Never skipped over: every reader of a block's log or events throws this.
 */
export class CorruptBlockData extends Error {
  constructor(
    readonly block: number,
    readonly part: StoredPart,
    /** 'BAD_CHECKSUM' | 'UNDECODABLE' | 'MISSING' */
    readonly code: 'BAD_CHECKSUM' | 'UNDECODABLE' | 'MISSING',
    /** Entry index in the blob (query or event number); -1 when the whole blob is concerned. */
    readonly position: number,
    /** Byte offset in the blob; -1 when not known. */
    readonly offset: number,
    readonly detail: string,
  ) {
    const where = position >= 0 ? ` at entry ${position}${offset >= 0 ? ` (byte ${offset})` : ''}` : '';
    super(`block ${block} ${part} ${code}${where}: ${detail}`);
    this.name = 'CorruptBlockData';
  }
}

export type ChainErrorCode =
  | 'NO_GENESIS' // a block before genesis
  | 'GENESIS_EXISTS' // genesis on a chain that has one
  | 'BLOCK_OUT_OF_ORDER' // a block number other than head + 1
  | 'BLOCK_NOT_FOUND' // a block (or a time-travel read) beyond the head or below 0
  | 'NO_LOG' // replay of the genesis block, which ran no transactions
  | 'UNKNOWN_PROFILE' // a stored profile name with no registered profile
  | 'PROFILE_MISMATCH' // replay asked with a profile other than the one the block ran with
  | 'MISSING_PREIMAGE' // an account hash whose preimage is not stored
  | 'VALUE_OUT_OF_RANGE'; // a u64 field that does not fit a SQLite integer

export class ChainError extends Error {
  constructor(
    readonly code: ChainErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'ChainError';
  }
}

export type ProvingErrorCode =
  | 'TREE_MISMATCH' // the tree rebuilt from the store does not give the stored commitment
  | 'COMMITMENT_MISMATCH' // the machine's commitment after a block differs from the tree's
  | 'NOT_PROVABLE' // a block of a profile without a public input (ethereum), or genesis
  | 'BLOB_BASE_FEE' // a block whose blob base fee a tape cannot carry
  | 'REPLAY_DIVERGED' // the run building the tape left the stored log or events
  | 'PROOF_FAILED'; // the proving run over the tape failed or gave another public input

/** The tree stage, a witness or a proving replay could not vouch for a block. */
export class ProvingError extends Error {
  constructor(
    readonly code: ProvingErrorCode,
    readonly block: number,
    readonly detail: string,
  ) {
    super(`block ${block} ${code}: ${detail}`);
    this.name = 'ProvingError';
  }
}
