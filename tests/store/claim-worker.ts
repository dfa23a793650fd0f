/**
 * A separate process for the multi-process claim test: opens the store file given as argv[2] and tries
 * to claim dates day-001 … day-<count> for one target, printing the dates it won as JSON.
 * All workers start claiming at the same instant (argv[5], ms since epoch) so that they really race.
 * Usage: node --import tsx claim-worker.ts <file> <owner> <count> <startAt>
 */
import { SqliteStore } from '../../src/store/sqlite.ts';

const [file, owner, count, startAt] = process.argv.slice(2);
if (!file || !owner || !count || !startAt) throw new Error('usage: claim-worker.ts <file> <owner> <count> <startAt>');
const store = new SqliteStore(file, { busyTimeoutMs: 20_000 });
while (Date.now() < Number(startAt)) {
  // spin until the common start
}
const won: string[] = [];
try {
  for (let i = 1; i <= Number(count); i++) {
    const date = `day-${String(i).padStart(3, '0')}`;
    if (await store.claimPost('slack:CRACE', date, owner, new Date())) {
      won.push(date);
      await store.markPosted('slack:CRACE', date, `tip-${owner}`, new Date());
    }
  }
} finally {
  await store.close();
}
process.stdout.write(JSON.stringify(won));
