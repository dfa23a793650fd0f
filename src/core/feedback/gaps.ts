/**
 * The knowledge-gaps report: recorded questions grouped by what they ask, the groups the notes fail most
 * (declined, or answered and rated 👎) first, so the note authors know which note to write or fix next.
 *
 * Two questions are in one group when they have the same normalised terms: the search tokenizer's word terms
 * (lower case, English stems, question words and particles dropped), with a Korean word and its particle-less
 * stem counted once. So "RPO가 뭐야", "rpo는?" and "RPO" group together, as do "What is pilot light?" and
 * "pilot lights".
 */
import type { FeedbackRecord } from '../store.ts';
import { isHangul, normalize, stripParticle, wordTerms } from '../search/tokenizer.ts';

export interface ShownCitation {
  /** "Note title › Heading" of the passage shown first. */
  citation: string;
  source?: string;
  disliked: number;
  liked: number;
}

export interface Gap {
  /** The normalised terms the questions share. */
  terms: string[];
  /** The wording asked most often (the latest of equals). */
  question: string;
  /** Every wording with how often it was recorded, most frequent first. */
  wordings: { question: string; count: number }[];
  /** Times the bot declined to answer. */
  refused: number;
  /** 👎 votes on answers. */
  disliked: number;
  /** 👍 votes on answers. */
  liked: number;
  /** What the answers showed first, most disliked first; empty when the bot never answered. */
  shown: ShownCitation[];
  commands: string[];
  lastAt: Date;
}

export interface GapsReport {
  since: Date;
  until: Date;
  totals: { refused: number; disliked: number; liked: number; questions: number };
  /** Groups with at least one refusal or 👎, most of those first. */
  gaps: Gap[];
}

/** The key two questions share when they ask the same thing in other words. */
export function questionTerms(question: string): string[] {
  const terms = new Set(wordTerms(question));
  // A Korean word is kept with and without its particle: count the pair once, by its stem.
  for (const term of terms) {
    const stem = isHangul(term) ? stripParticle(term) : undefined;
    if (stem !== undefined && terms.has(stem)) terms.delete(term);
  }
  const sorted = [...terms].sort();
  return sorted.length > 0 ? sorted : [normalize(question).replace(/\s+/g, ' ').trim()];
}

interface Group {
  terms: string[];
  wordings: Map<string, { count: number; lastAt: number }>;
  refused: number;
  disliked: number;
  liked: number;
  shown: Map<string, ShownCitation>;
  commands: Set<string>;
  lastAt: number;
}

const mostFirst = <T>(entries: [string, T][], count: (value: T) => number, tie: (value: T) => number) =>
  entries.sort((a, b) => count(b[1]) - count(a[1]) || tie(b[1]) - tie(a[1]) || (a[0] < b[0] ? -1 : 1));

export function knowledgeGaps(records: readonly FeedbackRecord[], window: { since: Date; until: Date }): GapsReport {
  const groups = new Map<string, Group>();
  const totals = { refused: 0, disliked: 0, liked: 0, questions: records.length };
  for (const record of records) {
    const terms = questionTerms(record.question);
    const key = terms.join(' ');
    let group = groups.get(key);
    if (!group) {
      group = { terms, wordings: new Map(), refused: 0, disliked: 0, liked: 0, shown: new Map(), commands: new Set(), lastAt: 0 };
      groups.set(key, group);
    }
    const at = record.at.getTime();
    const wording = group.wordings.get(record.question) ?? { count: 0, lastAt: 0 };
    group.wordings.set(record.question, { count: wording.count + 1, lastAt: Math.max(wording.lastAt, at) });
    group.commands.add(record.command);
    group.lastAt = Math.max(group.lastAt, at);
    if (record.kind === 'unanswered') {
      group.refused++;
      totals.refused++;
      continue;
    }
    const disliked = record.vote === 'bad' ? 1 : 0;
    group.disliked += disliked;
    group.liked += 1 - disliked;
    totals.disliked += disliked;
    totals.liked += 1 - disliked;
    if (record.citation) {
      const shown = group.shown.get(record.citation) ?? { citation: record.citation, ...(record.source ? { source: record.source } : {}), disliked: 0, liked: 0 };
      shown.disliked += disliked;
      shown.liked += 1 - disliked;
      group.shown.set(record.citation, shown);
    }
  }

  const gaps: Gap[] = [...groups.values()]
    .filter((group) => group.refused + group.disliked > 0)
    .sort((a, b) => b.refused + b.disliked - (a.refused + a.disliked) || b.lastAt - a.lastAt || (a.terms.join(' ') < b.terms.join(' ') ? -1 : 1))
    .map((group) => {
      const wordings = mostFirst([...group.wordings], (w) => w.count, (w) => w.lastAt).map(([question, w]) => ({ question, count: w.count }));
      return {
        terms: group.terms,
        question: wordings[0]!.question,
        wordings,
        refused: group.refused,
        disliked: group.disliked,
        liked: group.liked,
        shown: mostFirst([...group.shown], (s) => s.disliked, (s) => s.liked).map(([, s]) => s),
        commands: [...group.commands].sort(),
        lastAt: new Date(group.lastAt),
      };
    });
  return { since: window.since, until: window.until, totals, gaps };
}
