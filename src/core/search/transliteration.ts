/**
 * Korean spellings of English words (그래비톤 → graviton, 슬레이브 → slave, 다이나모디비 → dynamodb) are
 * matched by their sounds: both spellings reduce to a key of consonant classes (K, T, P, S, J, L, M, N),
 * h dropped, repeats merged. The fine key also marks where vowels sound (V), leaving out the ㅡ that
 * Korean adds between consonants (슬, 브) and an English silent e; the coarse key has consonants only,
 * for spellings that sound letters out (디비 for "db"). A Korean word the notes never use whose key
 * equals that of an English word they do use is read as that word.
 */

const INITIALS = ['K', 'K', 'N', 'T', 'T', 'L', 'M', 'P', 'P', 'S', 'S', '', 'J', 'J', 'J', 'K', 'T', 'P', ''];
// Final consonants as loanwords use them: ㅅ stands for a final t (로봇, 스팟), ㅇ for ng.
const FINALS = ['', 'K', 'K', 'K', 'N', 'N', 'N', 'T', 'L', 'L', 'L', 'L', 'L', 'L', 'L', 'L', 'M', 'P', 'P', 'T', 'T', 'N', 'T', 'T', 'K', 'T', 'P', ''];
/** The vowel ㅡ, which Korean writes between consonants that English runs together. */
const EU = 18;

/** Keys shorter than this match too many words by chance. */
export const MIN_KEY_LENGTH = 3;

/**
 * A key of consonants alone matches by chance up to this length less one: three consonants read 부탁 as badge,
 * 레시피 as receive, 비건 as began and 월간 as region.
 */
export const MIN_CONSONANTS_ONLY_KEY_LENGTH = 4;

/**
 * A Korean word read by its sounds has at least this many syllables: two-syllable words the notes never use are mostly
 * native ones that sound like some English word by chance (비건 ~ began, 금방 ~ combine), and the loanwords of two
 * syllables a question would use (서버, 리전, 백업) the notes write in Hangul already.
 */
export const MIN_SOUNDED_SYLLABLES = 3;

export interface SoundKeys {
  /** Consonants and sounded vowels. */
  fine: string;
  /** Consonants only. */
  coarse: string;
}

function keysOf(classes: string[]): SoundKeys {
  let fine = '';
  for (const c of classes) if (c && fine.at(-1) !== c) fine += c;
  let coarse = '';
  for (const c of fine) if (c !== 'V' && coarse.at(-1) !== c) coarse += c;
  return { fine, coarse };
}

/** The sound keys of a Hangul word; undefined when it has anything but Hangul syllables. */
export function hangulKeys(word: string): SoundKeys | undefined {
  const classes: string[] = [];
  for (const char of word) {
    const code = char.charCodeAt(0) - 0xac00;
    if (code < 0 || code >= 11172) return undefined;
    const vowel = Math.floor((code % 588) / 28);
    classes.push(INITIALS[Math.floor(code / 588)]!, vowel === EU ? '' : 'V', FINALS[code % 28]!);
  }
  return keysOf(classes);
}

const LATIN: Record<string, string> = { b: 'P', p: 'P', f: 'P', v: 'P', d: 'T', t: 'T', g: 'K', k: 'K', q: 'K', c: 'K', x: 'KS', s: 'S', z: 'J', j: 'J', l: 'L', r: 'L', m: 'M', n: 'N', a: 'V', e: 'V', i: 'V', o: 'V', u: 'V', y: 'V' };

/** The sound keys of a Latin word; undefined when it has anything but letters. */
export function latinKeys(word: string): SoundKeys | undefined {
  if (!/^[a-z]+$/.test(word)) return undefined;
  const spelled = word
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/ti(?=on)/g, 's')
    // Korean loanwords follow non-rhotic English: an r before a consonant or at the end is not written (서버, 테라폼).
    .replace(/r+(?![aeiouy])/g, '')
    .replace(/ng\b/g, 'n')
    .replace(/ng(?=[^aeiou])/g, 'n')
    // A final e after a consonant is silent (slave, cache).
    .replace(/(?<=[^aeiouy])e$/, '');
  return keysOf([...spelled].map((char) => LATIN[char] ?? ''));
}

/**
 * How Korean writes English letters and digits by their names (씨디씨 = CDC, 씨티오 = CTO, 이씨투 = EC2):
 * an acronym is spelled this way, not sounded out, so the sound keys above cannot read it.
 */
const LETTER_NAMES: Record<string, string> = {
  에이: 'a', 비: 'b', 씨: 'c', 시: 'c', 디: 'd', 이: 'e', 에프: 'f', 지: 'g', 쥐: 'g', 에이치: 'h', 에치: 'h', 아이: 'i',
  제이: 'j', 케이: 'k', 엘: 'l', 엠: 'm', 엔: 'n', 오: 'o', 피: 'p', 큐: 'q', 알: 'r', 아르: 'r', 에스: 's', 티: 't',
  유: 'u', 브이: 'v', 뷔: 'v', 더블유: 'w', 더블류: 'w', 엑스: 'x', 와이: 'y', 제트: 'z', 지드: 'z',
  원: '1', 투: '2', 쓰리: '3', 포: '4', 파이브: '5',
};
const LONGEST_LETTER_NAME = 3;

/** The digits among them (원 = 1, 투 = 2): how Korean writes English number words, as after a label (데이원 = Day 1). */
export const NUMBER_NAMES = new Map(Object.entries(LETTER_NAMES).filter(([, letter]) => /^\d$/.test(letter)));
/** Ambiguous names (지 = g or z) multiply readings; a word has at most this many. */
const MAX_LETTER_READINGS = 16;

/** Every way to read a Hangul word as letters and digits said by name, with at least two letters; [] when there is none. */
export function letterReadings(word: string): string[] {
  const readings: string[] = [];
  const read = (rest: string, spelled: string): void => {
    if (readings.length >= MAX_LETTER_READINGS) return;
    if (rest === '') {
      if (/[a-z].*[a-z]/.test(spelled)) readings.push(spelled);
      return;
    }
    for (let length = 1; length <= Math.min(LONGEST_LETTER_NAME, rest.length); length++) {
      const letter = LETTER_NAMES[rest.slice(0, length)];
      if (letter) read(rest.slice(length), spelled + letter);
    }
  };
  if (word.length >= 2) read(word, '');
  return readings;
}
