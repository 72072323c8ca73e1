// Opening databases: migrations applied in order and tracked by user_version, re-open without
// re-applying, a newer database refused by name, edited / missing / failing migrations refused.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, loadMigrations, MIGRATIONS_DIR, openDatabase, schemaVersion } from '../../storage/db.ts';
import { DatabaseTooNewError, MigrationError } from '../../storage/errors.ts';
import { tempDir, type TempDir } from './helpers.ts';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const LATEST = loadMigrations().length;
/** File name of a migration numbered after the real ones (or further). */
const nextName = (name: string, ahead = 1): string => `${String(LATEST + ahead).padStart(3, '0')}_${name}.sql`;

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter((n) => !n.startsWith('sqlite_'));
}

/** A copy of the real migrations in a directory the test may change. */
function migrationsCopy(): string {
  const dir = join(tmp.dir, 'migrations');
  mkdirSync(dir);
  for (const f of readdirSync(MIGRATIONS_DIR)) copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}

function expectMigrationError(f: () => unknown, code: string): MigrationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MigrationError);
    expect((e as MigrationError).code).toBe(code);
    return e as MigrationError;
  }
  throw new Error(`expected MigrationError ${code}`);
}

describe('openDatabase', () => {
  it('creates a fresh database at the latest schema, in WAL mode, with every table', () => {
    const db = openDatabase(tmp.file('a.db'));
    expect(schemaVersion(db)).toBe(LATEST);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(tables(db)).toEqual(
      [
        'account_diffs', 'block_logs', 'blocks', 'l2_to_l1_logs', 'l2_to_l1_messages', 'logs', 'preimages', 'schema_migrations',
        'slot_diffs', 'slot_history', 'transactions', 'tree_commitments', 'tree_leaves',
      ].sort(),
    );
    const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual([
      { version: 1, name: '001_event_store.sql' },
      { version: 2, name: '002_tree_stage.sql' },
      { version: 3, name: '003_block_hash_index.sql' },
    ]);
    db.close();
  });

  it('re-opens without re-applying anything and keeps the data', () => {
    const path = tmp.file('a.db');
    const db = openDatabase(path);
    db.prepare("INSERT INTO preimages (hash, bytes, block) VALUES (x'01', x'02', 0)").run();
    db.close();
    const again = openDatabase(path);
    expect(schemaVersion(again)).toBe(LATEST);
    expect(again.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(LATEST);
    expect(again.prepare('SELECT count(*) FROM preimages').pluck().get()).toBe(1);
    again.close();
    const reader = openDatabase(path, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM preimages').pluck().get()).toBe(1);
    reader.close();
  });

  it('refuses a database written by a newer version, by name', () => {
    const path = tmp.file('new.db');
    openDatabase(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST + 1}`);
    raw.close();
    let err: unknown;
    try {
      openDatabase(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseTooNewError);
    expect((err as DatabaseTooNewError).name).toBe('DatabaseTooNewError');
    expect((err as DatabaseTooNewError).version).toBe(LATEST + 1);
    expect((err as Error).message).toMatch(new RegExp(`schema version ${LATEST + 1}, this zkos knows migrations up to ${LATEST}`));
    expect(() => openDatabase(path, { readonly: true })).toThrow(DatabaseTooNewError);
  });

  it('refuses a database that is not a zkos one', () => {
    const path = tmp.file('other.db');
    const raw = new Database(path);
    raw.pragma('user_version = 1');
    raw.close();
    expectMigrationError(() => openDatabase(path), 'NOT_A_ZKOS_DATABASE');
  });

  it('applies a new migration in order on the next open', () => {
    const dir = migrationsCopy();
    const path = tmp.file('m.db');
    openDatabase(path, { migrationsDir: dir }).close();
    writeFileSync(join(dir, nextName('notes')), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);\n');
    const db = openDatabase(path, { migrationsDir: dir });
    expect(schemaVersion(db)).toBe(LATEST + 1);
    expect(tables(db)).toContain('notes');
    db.close();
  });

  it('refuses an applied migration that was edited', () => {
    const dir = migrationsCopy();
    const path = tmp.file('e.db');
    openDatabase(path, { migrationsDir: dir }).close();
    appendFileSync(join(dir, '001_event_store.sql'), '\n-- an afterthought\n');
    const e = expectMigrationError(() => openDatabase(path, { migrationsDir: dir }), 'MIGRATION_EDITED');
    expect(e.message).toMatch(/001_event_store\.sql was edited/);
  });

  it('refuses gaps and badly named files', () => {
    const dir = migrationsCopy();
    writeFileSync(join(dir, nextName('late', 2)), 'SELECT 1;');
    expectMigrationError(() => openDatabase(tmp.file('g.db'), { migrationsDir: dir }), 'MIGRATION_GAP');
    const dir2 = join(tmp.dir, 'm2');
    mkdirSync(dir2);
    writeFileSync(join(dir2, '1_first.sql'), 'SELECT 1;');
    expectMigrationError(() => openDatabase(tmp.file('h.db'), { migrationsDir: dir2 }), 'BAD_MIGRATION_NAME');
  });

  it('rolls a failing migration back whole', () => {
    const dir = migrationsCopy();
    const path = tmp.file('f.db');
    openDatabase(path, { migrationsDir: dir }).close();
    writeFileSync(join(dir, nextName('broken')), 'CREATE TABLE half (x INTEGER);\nCREATE TABLE half (x INTEGER);\n');
    expectMigrationError(() => openDatabase(path, { migrationsDir: dir }), 'MIGRATION_FAILED');
    const raw = new Database(path);
    expect(schemaVersion(raw)).toBe(LATEST);
    expect(tables(raw)).not.toContain('half');
    raw.close();
  });

  it('refuses to open a database below the schema read-only', () => {
    const path = tmp.file('r.db');
    new Database(path).close();
    expectMigrationError(() => openDatabase(path, { readonly: true }), 'MIGRATION_FAILED');
  });
});
