import type { Database } from 'better-sqlite3';

/**
 * The schema steps of one of the service's SQLite files: step i takes a file from `user_version`
 * i to i + 1. Later changes append a step and never edit a shipped one, so every existing file is
 * brought up to date in place when the Chat Service starts.
 */
export type Migrations = readonly string[];

/** Throws when the file was written by a newer Chat Service, before anything touches it. */
export function refuseNewerSchema(db: Database, migrations: Migrations): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new Error(
      `its schema version ${version} is newer than this Chat Service knows (${migrations.length})`,
    );
  }
}

/** Brings the file to the current schema in one transaction; one of a newer version is refused. */
export function migrate(db: Database, migrations: Migrations): void {
  refuseNewerSchema(db, migrations);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === migrations.length) return;
  db.transaction(() => {
    for (const step of migrations.slice(version)) db.exec(step);
    // PRAGMA takes no bound parameters; the value is our own integer.
    db.pragma(`user_version = ${migrations.length}`);
  })();
}
