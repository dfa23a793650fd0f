import { parentPort, workerData } from 'node:worker_threads';
import { writeSnapshot, type SnapshotWritten } from './snapshot.ts';

/** The worker thread of `writeSnapshotInWorker`: writes the snapshot of the notes below `root` and says how it went. */
const { root, dataDir } = workerData as { root: string; dataDir: string };
let result: SnapshotWritten;
try {
  result = { ok: true, ...writeSnapshot(root, dataDir) };
} catch (error) {
  result = { ok: false, error: (error as Error).message };
}
parentPort?.postMessage(result);
