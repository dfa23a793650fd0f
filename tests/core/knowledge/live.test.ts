import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchEngine } from '../../../src/core/search/engine.ts';
import { SearchIndex } from '../../../src/core/search/index.ts';
import { decideAnswer } from '../../../src/core/answers/decide.ts';
import { Knowledge } from '../../../src/core/knowledge/knowledge.ts';
import { LiveKnowledge } from '../../../src/core/knowledge/live.ts';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import { readSnapshot, SNAPSHOT_FILE, snapshotKey, writeSnapshot, type SnapshotWritten } from '../../../src/core/knowledge/snapshot.ts';
import { NoteFiles } from '../../../src/core/knowledge/loader.ts';
import { until } from '../../helpers.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function shippedCopy(): string {
  const root = tempDir('summit-live-');
  cpSync(DEFAULT_KNOWLEDGE_DIR, root, { recursive: true });
  return root;
}

function live(root: string, options: ConstructorParameters<typeof LiveKnowledge>[1] = {}): LiveKnowledge {
  const knowledge = new LiveKnowledge(root, options);
  cleanups.push(() => knowledge.close());
  return knowledge;
}

/** A note of `count` sections that all use `word`, so re-indexing it takes many slices. */
function bigNote(word: string, count: number): string {
  const sections = Array.from({ length: count }, (_, i) => `## 절 ${i} heading${i}\n\n${word} 이 있는 ${i}번째 절. Section ${i} mentions ${word} and filler${i % 17} words.\n`);
  return `---\nid: big-note\ntitle: 큰 노트\nkind: topic\n---\n${sections.join('\n')}`;
}

const ids = (knowledge: Knowledge, query: string) => knowledge.index.search(query, { limit: 1000 }).map((hit) => hit.section.id).sort();

describe('LiveKnowledge: incremental reload', () => {
  it('never shows a half-updated index: queries during the reload see all of the old notes or all of the new', async () => {
    const root = shippedCopy();
    const count = 400;
    writeFileSync(join(root, 'big.md'), bigNote('oldword', count));
    const knowledge = live(root);
    await knowledge.settled();
    const before = knowledge.current;
    expect(ids(before, 'oldword')).toHaveLength(count);

    writeFileSync(join(root, 'big.md'), bigNote('newword', count));
    let reloaded = false;
    const reload = knowledge.reload([join(root, 'big.md')]).then((result) => {
      reloaded = true;
      return result;
    });
    const seen: { old: number; fresh: number; heldOld: number; heldFresh: number }[] = [];
    // Bounded: the reload takes well under this many turns of the event loop.
    for (let turn = 0; turn < 100_000 && !reloaded; turn++) {
      const current = knowledge.current;
      seen.push({ old: ids(current, 'oldword').length, fresh: ids(current, 'newword').length, heldOld: ids(before, 'oldword').length, heldFresh: ids(before, 'newword').length });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await reload).changed).toEqual(['big.md']);
    // The reload ran in many slices, with queries answered between them.
    expect(seen.length).toBeGreaterThan(3);
    for (const state of seen) {
      expect([state.old, state.fresh]).toSatisfy(([old, fresh]: number[]) => (old === count && fresh === 0) || (old === 0 && fresh === count));
      expect([state.heldOld, state.heldFresh]).toSatisfy(([old, fresh]: number[]) => (old === count && fresh === 0) || (old === 0 && fresh === count));
    }
    expect(ids(knowledge.current, 'newword')).toHaveLength(count);
    expect(ids(knowledge.current, 'oldword')).toEqual([]);
    // A request that still holds the Knowledge from before the reload gets answers from the new index.
    expect(ids(before, 'newword')).toHaveLength(count);
  });

  it('analyzes the listed questions in the background, at start (answering() waits for it) and before a reload serves, so the first question does not wait for them', async () => {
    const root = shippedCopy();
    const knowledge = live(root);
    await knowledge.answering();
    const analyze = vi.spyOn(SearchIndex.prototype, 'analyze');
    cleanups.push(() => analyze.mockRestore());
    const questionsAnalyzed = () => {
      analyze.mockClear();
      decideAnswer(knowledge.current, 'RPO가 뭐야', { fallbackLanguage: 'ko' });
      return analyze.mock.calls.length;
    };
    // The question alone, not the 1,700 listed questions of the shipped notes.
    expect(questionsAnalyzed()).toBeLessThan(5);
    const event = join(root, 'event.md');
    writeFileSync(event, `${readFileSync(event, 'utf8')}\n## 새 절\nquillibrant 이야기.\n:::questions\n- quillibrant 뭐야?\n:::\n`);
    await knowledge.reload();
    expect(questionsAnalyzed()).toBeLessThan(5);
  });

  it('after a series of reloads answers as a fresh load of the same files does', async () => {
    const root = shippedCopy();
    const knowledge = live(root);
    const event = join(root, 'event.md');
    writeFileSync(event, `${readFileSync(event, 'utf8')}\n## 새 절\nquillibrant 와 graviton 이야기.\n`);
    await knowledge.reload();
    rmSync(join(root, 'keynote.md'));
    await knowledge.reload();
    writeFileSync(join(root, 'big.md'), bigNote('plimsovex', 30));
    await knowledge.reload();
    const fresh = new Knowledge(loadKnowledge(root));
    for (const query of ['quillibrant', 'graviton', 'plimsovex 절', 'RTO RPO', '키노트', 'DynamoDB 마이그레이션', '재해 복구 전략']) {
      const served = knowledge.current.index.search(query, { limit: 5 }).map((hit) => [hit.section.id, hit.score.toFixed(6)]);
      const built = fresh.index.search(query, { limit: 5 }).map((hit) => [hit.section.id, hit.score.toFixed(6)]);
      expect(served.map(([, score]) => score)).toEqual(built.map(([, score]) => score));
      expect(new Set(served.map(([id]) => id))).toEqual(new Set(built.map(([id]) => id)));
    }
  });

  it('loses no edit when a reload fails half-way: the edit it read is served again, without another change to the file', async () => {
    const root = shippedCopy();
    const knowledge = live(root);
    await knowledge.settled();
    const failOnce = vi.spyOn(SearchEngine.prototype, 'changeInSlices').mockRejectedValueOnce(new Error('index update failed'));
    cleanups.push(() => failOnce.mockRestore());
    const event = join(root, 'event.md');
    writeFileSync(event, `${readFileSync(event, 'utf8')}\n## 새 절\nzorblatine 이야기.\n`);
    await expect(knowledge.reload([event])).rejects.toThrow('index update failed');
    expect(ids(knowledge.current, 'zorblatine')).toEqual([]);
    await knowledge.reload();
    expect(ids(knowledge.current, 'zorblatine')).toHaveLength(1);
  });

  it('a watched folder tries a failed reload again by itself', async () => {
    const root = shippedCopy();
    const knowledge = live(root);
    await knowledge.settled();
    const errors: unknown[] = [];
    await knowledge.watch({ onReload: () => undefined, onError: (error) => errors.push(error), retryMs: 200 });
    const failOnce = vi.spyOn(SearchEngine.prototype, 'changeInSlices').mockRejectedValueOnce(new Error('index update failed'));
    cleanups.push(() => failOnce.mockRestore());
    const event = join(root, 'event.md');
    writeFileSync(event, `${readFileSync(event, 'utf8')}\n## 새 절\nquorvantic 이야기.\n`);
    await until(() => errors.length === 1, 10_000, 'the failed reload reported');
    await until(() => ids(knowledge.current, 'quorvantic').length === 1, 10_000, 'the edit served after the retry');
    expect(errors).toHaveLength(1);
  });
});

describe('LiveKnowledge: index snapshot', () => {
  it('starts from a snapshot made from the same notes, and answers as a build does', async () => {
    const root = shippedCopy();
    const dataDir = tempDir('summit-live-data-');
    writeSnapshot(root, dataDir);
    const knowledge = live(root, { dataDir });
    expect(knowledge.indexOrigin).toEqual({ from: 'snapshot' });
    const fresh = new Knowledge(loadKnowledge(root));
    for (const query of ['RTO RPO', 'graviton', '재해 복구 전략', 'TANGO 누가 발표했나']) {
      expect(knowledge.current.index.search(query).map((hit) => [hit.section.id, hit.score.toFixed(6)])).toEqual(
        fresh.index.search(query).map((hit) => [hit.section.id, hit.score.toFixed(6)]),
      );
    }
    // And reloads work on it as on a built index.
    writeFileSync(join(root, 'event.md'), `${readFileSync(join(root, 'event.md'), 'utf8')}\n## 새 절\nsnorkelwhip 이 있다.\n`);
    await knowledge.reload();
    expect(ids(knowledge.current, 'snorkelwhip')).toHaveLength(1);
  });

  it('ignores a stale snapshot (a note changed since), builds the index, and writes the snapshot again in a worker', async () => {
    const root = shippedCopy();
    const dataDir = tempDir('summit-live-data-');
    const staleKey = writeSnapshot(root, dataDir).key;
    writeFileSync(join(root, 'event.md'), `${readFileSync(join(root, 'event.md'), 'utf8')}\n## 새 절\nmirthquake 가 있다.\n`);
    const written: SnapshotWritten[] = [];
    const knowledge = live(root, { dataDir, snapshotDelayMs: 10, onSnapshot: (result) => written.push(result) });
    expect(knowledge.indexOrigin).toEqual({ from: 'build', snapshot: 'stale' });
    expect(ids(knowledge.current, 'mirthquake')).toHaveLength(1);

    await until(() => written.length > 0, 30_000, 'the snapshot to be written again');
    const files = new NoteFiles(root);
    files.refresh([root]);
    expect(written[0]).toMatchObject({ ok: true, key: snapshotKey(files.parsedContents()) });
    const again = readSnapshot(dataDir);
    expect(again.status === 'readable' && again.key).not.toBe(staleKey);
    expect(live(root, { dataDir }).indexOrigin).toEqual({ from: 'snapshot' });
  });

  it('takes a snapshot from other search code (or the format before this one) as missing, not corrupt', () => {
    const root = shippedCopy();
    const dataDir = tempDir('summit-live-data-');
    writeFileSync(join(dataDir, SNAPSHOT_FILE), serialize({ codeVersion: 1, key: 'k', files: [], engine: {} }));
    expect(live(root, { dataDir }).indexOrigin).toEqual({ from: 'build', snapshot: 'missing' });
  });

  it('ignores a corrupt snapshot (garbage, or cut short), builds the index and serves every note', async () => {
    const root = shippedCopy();
    const dataDir = tempDir('summit-live-data-');
    const file = join(dataDir, SNAPSHOT_FILE);
    writeFileSync(file, 'not a snapshot at all');
    const fromGarbage = live(root, { dataDir });
    expect(fromGarbage.indexOrigin).toMatchObject({ from: 'build', snapshot: 'corrupt' });
    expect(fromGarbage.current.index.search('RPO').length).toBeGreaterThan(0);

    writeSnapshot(root, dataDir);
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const fromCut = live(root, { dataDir });
    expect(fromCut.indexOrigin).toMatchObject({ from: 'build', snapshot: 'corrupt' });
    expect(fromCut.current.notes.length).toBe(loadKnowledge(root).notes.length);
    expect(fromCut.current.index.search('RPO').length).toBeGreaterThan(0);
  });
});
