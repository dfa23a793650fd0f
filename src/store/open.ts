import type { Config } from '../config.ts';
import type { Store } from '../core/store.ts';
import type { Logger } from '../logger.ts';
import { openSqliteStore } from './sqlite.ts';

/** The configured store: PostgreSQL when DATABASE_URL is set (replicas), else the SQLite file in DATA_DIR. */
export async function openStore(config: Config, logger: Logger): Promise<Store> {
  if (!config.databaseUrl) return openSqliteStore(config.dataDir, { leaseMs: config.tipLeaseMs });
  // Loaded only when configured, so the embedded default starts without the PostgreSQL client.
  const { openPostgresStore } = await import('./postgres.ts');
  const store = await openPostgresStore(config.databaseUrl, { leaseMs: config.tipLeaseMs, logger: logger.child({ component: 'store' }) });
  logger.info('store: PostgreSQL');
  return store;
}
