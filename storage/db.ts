// Opening the SQLite database: WAL mode, a busy timeout, and the numbered migrations of
// migrations/ applied in order (design.md "migrations/"). PRAGMA user_version is the schema
// version; schema_migrations remembers each applied file's SHA-256 so an edited migration is
// refused instead of silently diverging from databases that ran the original.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseTooNewError, MigrationError } from './errors.ts';

export type Db = Database.Database;

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
/** PRAGMA application_id of a zkos database: "zkos" in ASCII. */
export const APPLICATION_ID = 0x7a6b6f73;
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  sha256: string;
}

export interface OpenOptions {
  /** Open for reading only (any number of readers run beside the one writer in WAL mode). */
  readonly?: boolean;
  /** How long a statement waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Where the NNN_name.sql files are (tests use their own). */
  migrationsDir?: string;
}

const NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** The migrations of a directory, checked to be numbered 1, 2, 3, … without gaps. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = NAME.exec(file);
    if (m === null) throw new MigrationError('BAD_MIGRATION_NAME', `${join(dir, file)} is not named NNN_name.sql`);
    const sql = readFileSync(join(dir, file), 'utf8');
    out.push({ version: Number(m[1]), name: file, sql, sha256: createHash('sha256').update(sql).digest('hex') });
  }
  out.forEach((mig, i) => {
    if (mig.version !== i + 1) throw new MigrationError('MIGRATION_GAP', `${mig.name} should be number ${String(i + 1).padStart(3, '0')}`);
  });
  return out;
}

/** Opens (creating if needed) and migrates a database; the caller closes it. */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const readonly = opts.readonly ?? false;
  const migrations = loadMigrations(opts.migrationsDir);
  const db = new Database(path, { readonly, fileMustExist: readonly, timeout: opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  try {
    if (!readonly) db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL never corrupts; a power loss may drop the last commits, not half of one.
    db.pragma('synchronous = NORMAL');
    migrate(db, path, migrations, readonly);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, path: string, migrations: Migration[], readonly: boolean): void {
  const latest = migrations.length;
  checkVersion(db, path, latest);
  if (readonly) {
    const v = schemaVersion(db);
    if (v < latest) throw new MigrationError('MIGRATION_FAILED', `${path} is at schema ${v}, ${latest} needed: open it once for writing to migrate`);
    checkApplied(db, migrations, v);
    return;
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  checkApplied(db, migrations, schemaVersion(db));
  for (const mig of migrations) {
    // IMMEDIATE: a second process migrating the same file waits, then finds the work done.
    db.transaction(() => {
      const v = checkVersion(db, path, latest);
      if (mig.version <= v) return;
      if (v === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
      try {
        db.exec(mig.sql);
      } catch (e) {
        throw new MigrationError('MIGRATION_FAILED', `${mig.name}: ${(e as Error).message}`);
      }
      db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)').run(mig.version, mig.name, mig.sha256, new Date().toISOString());
      db.pragma(`user_version = ${mig.version}`);
    }).immediate();
  }
}

/** The current version, after refusing a newer schema or somebody else's database. */
function checkVersion(db: Db, path: string, latest: number): number {
  const v = schemaVersion(db);
  const app = db.pragma('application_id', { simple: true }) as number;
  if (v > 0 && app !== APPLICATION_ID) {
    throw new MigrationError('NOT_A_ZKOS_DATABASE', `${path} has application_id ${app} and schema version ${v}`);
  }
  if (v > latest) throw new DatabaseTooNewError(path, v, latest);
  return v;
}

/** Every applied migration must still have the text it had when it was applied. */
function checkApplied(db: Db, migrations: Migration[], version: number): void {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (exists === undefined) return;
  const rows = db.prepare('SELECT version, name, sha256 FROM schema_migrations WHERE version <= ? ORDER BY version').all(version) as Array<{ version: number; name: string; sha256: string }>;
  for (const row of rows) {
    const mig = migrations[row.version - 1];
    if (mig.sha256 !== row.sha256) {
      throw new MigrationError('MIGRATION_EDITED', `${mig.name} was edited after it was applied as ${row.name} (sha256 ${row.sha256.slice(0, 12)}…, now ${mig.sha256.slice(0, 12)}…): add a new migration instead`);
    }
  }
}
