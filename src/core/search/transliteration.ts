/**
 * Korean spellings of English words (그래비톤 → graviton, 슬레이브 → slave, 다이나모디비 → dynamodb) are
 * matched by their consonants: both spellings reduce to a key of consonant classes (K, T, P, S, J, L, M, N),
 * vowels and h dropped, repeats merged. A Korean word the notes never use whose key equals that of an
 * English word they do use is read as that word.
 */

const INITIALS = ['K', 'K', 'N', 'T', 'T', 'L', 'M', 'P', 'P', 'S', 'S', '', 'J', 'J', 'J', 'K', 'T', 'P', ''];
// Final consonants as loanwords use them: ㅅ stands for a final t (로봇, 스팟), ㅇ for ng.
const FINALS = ['', 'K', 'K', 'K', 'N', 'N', 'N', 'T', 'L', 'L', 'L', 'L', 'L', 'L', 'L', 'L', 'M', 'P', 'P', 'T', 'T', 'N', 'T', 'T', 'K', 'T', 'P', ''];

/** Keys shorter than this match too many words by chance. */
export const MIN_KEY_LENGTH = 3;

function merged(classes: string[]): string {
  let key = '';
  for (const c of classes) if (c && key.at(-1) !== c) key += c;
  return key;
}

/** The consonant key of a Hangul word; undefined when it has anything but Hangul syllables. */
export function hangulKey(word: string): string | undefined {
  const classes: string[] = [];
  for (const char of word) {
    const code = char.charCodeAt(0) - 0xac00;
    if (code < 0 || code >= 11172) return undefined;
    classes.push(INITIALS[Math.floor(code / 588)]!, FINALS[code % 28]!);
  }
  return merged(classes);
}

const LATIN: Record<string, string> = { b: 'P', p: 'P', f: 'P', v: 'P', d: 'T', t: 'T', g: 'K', k: 'K', q: 'K', c: 'K', x: 'KS', s: 'S', z: 'J', j: 'J', l: 'L', r: 'L', m: 'M', n: 'N' };

/** The consonant key of a Latin word; undefined when it has anything but letters. */
export function latinKey(word: string): string | undefined {
  if (!/^[a-z]+$/.test(word)) return undefined;
  const spelled = word
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/ti(?=on)/g, 's')
    // Korean loanwords follow non-rhotic English: an r before a consonant or at the end is not written (서버, 테라폼).
    .replace(/r+(?![aeiouy])/g, '')
    .replace(/ng\b/g, 'n')
    .replace(/ng(?=[^aeiou])/g, 'n');
  return merged([...spelled].map((char) => LATIN[char] ?? ''));
}
