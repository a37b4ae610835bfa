import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BufferedStore, DELETE } from './storage.js';

/**
 * SQLite in WAL mode with synchronous=NORMAL: a committed transaction is in the WAL file
 * before commit() returns, so it survives kill -9 of this process (not a power cut).
 */
export class SqliteStore extends BufferedStore {
  readonly durable = true;
  private db: Database.Database;
  private upsert: Database.Statement;
  private remove: Database.Statement;
  private select: Database.Statement;
  private tx: (pending: Map<string, Map<string, unknown>>) => void;

  constructor(dataDir: string) {
    super();
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'local-cloud.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS docs (coll TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (coll, key)) WITHOUT ROWID',
    );
    this.upsert = this.db.prepare(
      'INSERT INTO docs (coll, key, value) VALUES (?, ?, ?) ON CONFLICT (coll, key) DO UPDATE SET value = excluded.value',
    );
    this.remove = this.db.prepare('DELETE FROM docs WHERE coll = ? AND key = ?');
    this.select = this.db.prepare('SELECT key, value FROM docs WHERE coll = ?').raw(true);
    this.tx = this.db.transaction((pending: Map<string, Map<string, unknown>>) => {
      for (const [coll, changes] of pending) {
        for (const [key, value] of changes) {
          if (value === DELETE) this.remove.run(coll, key);
          else this.upsert.run(coll, key, JSON.stringify(value));
        }
      }
    });
  }

  protected write(pending: Map<string, Map<string, unknown>>): void {
    this.tx(pending);
  }

  protected read(collection: string): Array<[string, string]> {
    return this.select.all(collection) as Array<[string, string]>;
  }

  protected clear(): void {
    this.db.exec('DELETE FROM docs');
  }

  close(): void {
    this.commit();
    this.db.close();
  }
}
