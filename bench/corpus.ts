import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Section } from '../src/core/knowledge/types.ts';
import { mulberry32 } from '../src/core/tips/picker.ts';

const SYLLABLES = '가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후기니디리미비시이지치키티피히개내대래매배새애재채캐태패해'.split('');
const PARTICLES = ['', '', '', '을', '를', '이', '가', '은', '는', '의', '에서', '으로', '와', '도'];
const LATIN = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Sections of varied text: words drawn with a Zipf-like skew from a vocabulary that mixes the shipped
 * notes' own words with generated Korean and English words, so term statistics look like real notes.
 */
export function syntheticSections(count: number, seedWords: string[], seed = 42, sectionsPerNote = 12): Section[] {
  const random = mulberry32(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const vocabulary = [...new Set(seedWords)];
  for (let i = 0; i < 20_000; i++) {
    if (random() < 0.6) {
      const length = 2 + Math.floor(random() * 3);
      vocabulary.push(Array.from({ length }, () => pick(SYLLABLES)).join(''));
    } else {
      const length = 3 + Math.floor(random() * 8);
      vocabulary.push(Array.from({ length }, () => LATIN[Math.floor(random() * 26)]).join(''));
    }
  }
  const zipf = () => vocabulary[Math.min(vocabulary.length - 1, Math.floor(vocabulary.length * random() ** 3))]!;
  const word = () => {
    const w = zipf();
    return /[가-힣]$/.test(w) ? w + pick(PARTICLES) : w;
  };
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  return Array.from({ length: count }, (_, i) => {
    const noteId = `note-${Math.floor(i / sectionsPerNote)}`;
    const heading = sentence(2 + Math.floor(random() * 3));
    return {
      id: `${noteId}/s${i}`,
      noteId,
      noteTitle: sentence(4),
      headingPath: [heading],
      headingPathEn: [heading],
      heading,
      text: Array.from({ length: 2 + Math.floor(random() * 4) }, () => `${sentence(8 + Math.floor(random() * 10))}.`).join(' '),
      source: `${noteId}.md`,
      line: 1,
      keywords: Array.from({ length: 5 }, zipf),
      tags: [],
    };
  });
}

/**
 * The same synthetic sections as real note files (`topic` notes of `sectionsPerNote` sections each) written
 * below `dir`, for measuring the bot on a knowledge folder of that size. Returns the files written, relative to `dir`.
 */
export function writeSyntheticNotes(dir: string, count: number, seedWords: string[], sectionsPerNote = 20): string[] {
  const byNote = new Map<string, Section[]>();
  for (const section of syntheticSections(count, seedWords, 42, sectionsPerNote)) {
    const sections = byNote.get(section.noteId) ?? [];
    sections.push(section);
    byNote.set(section.noteId, sections);
  }
  mkdirSync(dir, { recursive: true });
  return [...byNote].map(([noteId, sections]) => {
    const first = sections[0]!;
    // JSON strings are YAML strings: quoting this way keeps any generated word valid front matter.
    const frontMatter = ['---', `id: ${noteId}`, `title: ${JSON.stringify(first.noteTitle)}`, 'kind: topic', `keywords: ${JSON.stringify(first.keywords)}`, '---'];
    const body = sections.map((section) => `## ${section.heading}\n\n${section.text}\n`);
    const file = `${noteId}.md`;
    writeFileSync(join(dir, file), `${frontMatter.join('\n')}\n${body.join('\n')}`);
    return file;
  });
}
