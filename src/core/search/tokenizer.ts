import { stemmer } from 'stemmer';

/**
 * Korean-aware tokenization, shared by documents and queries so both sides agree.
 *
 * Korean attaches particles and endings to words (재해복구를, 전략은, 적합해), and writes
 * compounds with or without spaces (재해복구 / 재해 복구). So each Hangul word yields itself,
 * its particle-stripped stem, and (separately, at a lower weight) its character bigrams.
 * Mixed tokens are split at script boundaries (TANGO의 → tango + 의).
 */

const HANGUL = /\p{Script=Hangul}/u;
const WORD = /[\p{L}\p{N}]+(?:[.\-&][\p{L}\p{N}]+)*/gu;
const SCRIPT_RUN = /\p{Script=Hangul}+|[^\p{Script=Hangul}]+/gu;

/**
 * 하다 and 되다 on a noun, as chat conjugates them (추적할수, 이관하려면, 구성돼, 절감했다고): the noun is the topic.
 * Standing alone (된, 돼, 됨) they are verbs, weighed as the asking, not particles.
 */
const VERB_ENDINGS_ON_NOUNS = ['하면서', '하려면', '했다고', '하려고', '할수', '할때', '하면', '되면', '해야', '해서', '해선', '돼서', '한대', '하게', '했다', '하다', '되다', '된', '돼', '됨'];

/** Particles and the endings of questions, longest first among those that end alike. */
const PARTICLES_AND_ENDINGS = [
  // Spoken past and copula endings of questions (어디였음, 바꼈어, 걸렸대, 뭐였더라), longest first.
  '이었는지', '이었어요', '이었더라', '이었음', '이었어', '이었지', '이었나', '였더라', '였어요', '였는지', '었는지', '았는지',
  '였음', '였어', '였지', '였나', '였냐', '였니', '였대', '였네', '였던', '했대', '했음', '했지', '했나', '했냐', '했던',
  '됐어', '됐나', '됐음', '됐대', '됐지', '됐냐', '었어', '았어', '었음', '았음', '었대', '았대', '었지', '았지', '었나', '았나',
  '는거야', '는거', '인거', '거야', '건가', '건지', '던가', '더라',
  '에서부터', '으로부터', '이었어요', '였습니다', '입니까', '인가요', '한가요', '했나요', '하나요', '되나요', '이에요', '에서는', '에선',
  '에게서', '으로는', '으로도', '이라고', '이라는', '에서도', '까지는', '부터는', '이랑은', '이란', '에서', '으로', '에게', '한테',
  '께서', '까지', '부터', '처럼', '보다', '이나', '이랑', '하고', '이다', '입니다', '이야', '예요', '인가', '나요', '하는', '하기',
  '해요', '했어', '한다', '된다', '되는', '적인', '적으로', '들은', '들이', '들을', '들의', '에는', '에도', '와는', '과는', '으론',
  '로는', '로도', '이고', '라는', '란', '은', '는', '이', '가', '을', '를', '의', '에', '엔', '로', '와', '과', '도', '만', '들',
  '야', '해', '한', '할', '나', '랑', '임', '음',
];

/**
 * Particles and verb endings, each before any shorter one it ends with. Stripping is applied to documents and
 * queries alike, so a wrong cut on one side is made on the other too; the whole word is always kept as well.
 */
const SUFFIXES = [...VERB_ENDINGS_ON_NOUNS, ...PARTICLES_AND_ENDINGS];

/**
 * SUFFIXES by their last character, each list in SUFFIXES' order (longest first): a word is checked against
 * the few that can end it rather than all of them, with the same first match. Questions strip every
 * Korean word several times, and these loops were a tenth of analyzing a long Korean question.
 */
const SUFFIXES_BY_LAST = new Map<string, string[]>();
for (const suffix of SUFFIXES) {
  const last = suffix.at(-1)!;
  SUFFIXES_BY_LAST.set(last, [...(SUFFIXES_BY_LAST.get(last) ?? []), suffix]);
}
const NO_SUFFIXES: string[] = [];

function suffixesEnding(word: string): string[] {
  return SUFFIXES_BY_LAST.get(word.at(-1) ?? '') ?? NO_SUFFIXES;
}

/** Stems shorter than this (in characters) are kept only after a clear one-syllable particle. */
// 이 and 가 are left out: too many two-syllable nouns end in them (차이, 아이, 스탠바이).
const SHORT_STEM_PARTICLES = new Set(['은', '는', '을', '를', '의', '에', '엔', '에선', '로', '와', '과', '도', '만']);

/** Words that carry no topic: question words and fillers, Korean and English. */
export const STOP_WORDS = new Set([
  // Korean
  '뭐', '뭐야', '뭔가', '뭐지', '뭐예요', '뭐가', '무엇', '무엇인가요', '무엇이', '어떤', '어떻게', '어떤가요', '언제', '어디', '어디서',
  '어디에서', '어디다', '어디다가', '어디에다', '어따', '어따가', '왜', '누구', '누가', '몇', '알려줘', '알려주세요', '알려', '설명', '설명해줘', '설명해', '대해', '대해서', '대한', '관련', '관해',
  '있어', '있나요', '있는', '있어요', '했어', '해줘', '좀', '그', '이', '저', '것', '거', '수', '등', '및', '또는', '그리고', '하면',
  '되나', '돼', '되는지', '인지', '건가', '건지', '써', '쓰나', '쓰는', '써야', '했나', '했는지', '어때', '좋아', '하나', '요',
  '머', '뭐뭐', '누구누구', '누구누구임', '뭘', '뭔지', '무슨', '몇시', '며칠', '며칠차', '어느', '얼마', '얼마나', '어케', '어떤게', '그냥', '진짜', '혹시',
  '정확히', '구체적으로', '대충', '알려줄래', '아는', '있었어', '있었음', '있었나', '있나', '없어', '했음', '됐어',
  // Fillers and degree words of chat, and nouns that only name what kind of answer is wanted (its name, its story).
  '완전', '많이', '엄청', '너무', '정말', '막', '딱', '약간', '제일', '이름', '직함', '직책', '얘기', '내용', '뜻', '어떤거', '어떤것',
  // What makes a question a comparison, not what it compares.
  '달라', '달라요', '달랐어', '달랐음', '달랐나', '다른', '다른가', '다른지', '다름', '다르게', '차이', '차이점', '비교',
  // English
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'done', 'what', 'whats', 'which', 'who',
  'whom', 'whose', 'how', 'why', 'when', 'where', 'i', 'me', 'my', 'we', 'our', 'us', 'you', 'your', 'it', 'its', 'this', 'that',
  'these', 'those', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'from', 'with', 'about', 'into', 'and', 'or', 'but', 'so', 'if',
  'can', 'could', 'should', 'would', 'will', 'shall', 'may', 'might', 'must', 'tell', 'explain', 'show', 'please', 'there',
  'any', 'some', 'get', 'got', 'give', 'use', 'used', 'using', 'there', 'they', 'them', 'their', 'he', 'she', 'his', 'her', 'than',
  'then', 'also', 'just', 'really', 'much', 'many', 'more', 'most', 'know', 'want', 'need', 'like', 'as', 'be', 'not', 'no',
  'up', 'out', 'each', 'every', 'thing', 'things', 'stuff', 'something', 'anything', 'else', 'again', 'actually', 'exactly',
  'specifically', 'basically', 'anyone', 'someone', 'here', 'okay', 'ok', 'hey', 'hi', 'thanks',
  'difference', 'differences', 'different', 'differ', 'compare', 'compared', 'comparison', 'vs', 'versus',
  // Nouns that only name what kind of answer is wanted (someone's role, a talk's title).
  'role', 'position', 'job', 'title',
]);

/** A particle or ending standing alone, left over from a split such as TANGO의 → tango + 의, AWS에서 → aws + 에서. */
const BARE_PARTICLES = new Set(PARTICLES_AND_ENDINGS);

/**
 * A Hangul word that says nothing of the topic: a stop word, a bare particle, or a stop word with a
 * particle or ending (어디에, 뭐가, 뭐였지, 머였더라), however short the stop word.
 */
function isFunctionWord(piece: string): boolean {
  // 몇 with its counter asks "how many / what": 몇시, 몇개, 몇명, 몇퍼 (written apart, 몇 시, it is joined first); so does 며칠 (며칠날, 며칠에),
  // and 뭐 in any form asks what (뭐래, 뭐라던데, 뭔데): no noun starts so.
  if (STOP_WORDS.has(piece) || BARE_PARTICLES.has(piece) || piece.startsWith('몇') || piece.startsWith('며칠') || piece.startsWith('뭐') || piece.startsWith('뭔')) return true;
  return suffixesEnding(piece).some((suffix) => piece.length > suffix.length && piece.endsWith(suffix) && STOP_WORDS.has(piece.slice(0, -suffix.length)));
}

export function normalize(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
      // Letters (jamo) standing alone, as chat writes laughter, crying and "go" (ㅋㅋ, ㅠㅠ, ㄱㄱ), say nothing of a topic;
      // NFKC has made them conjoining jamo, which a syllable no longer holds once composed.
      .replace(/[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uD7B0-\uD7FF]+/g, ' ')
      .toLowerCase()
  );
}

export function isHangul(token: string): boolean {
  return HANGUL.test(token);
}

/** Strips one particle or ending; returns undefined when nothing sensible is left. */
export function stripParticle(word: string): string | undefined {
  for (const suffix of suffixesEnding(word)) {
    if (word.length <= suffix.length || !word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    if (stem.length >= 2 || SHORT_STEM_PARTICLES.has(suffix)) return stem;
  }
  return undefined;
}

/**
 * English words by their Porter stem (decided, deciding, decides → decid), so a question's wording
 * meets the notes' wording; names with digits or dots (node.js, 3g) stay as written.
 */
export function stemLatin(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let stem = STEMS.get(word);
  if (stem === undefined) {
    if (STEMS.size >= MAX_STEMS) STEMS.clear();
    stem = stemmer(word);
    STEMS.set(word, stem);
  }
  return stem;
}

/**
 * Stems already computed: a question stems each English word several times (its terms, the glossary, the
 * everyday-word test), and the Porter stemmer was a tenth of analyzing one. English vocabulary is small, so
 * this rarely fills; when it does it starts over, which bounds it whatever is indexed.
 */
const STEMS = new Map<string, string>();
const MAX_STEMS = 50_000;

/** Raw word pieces of a text: split on punctuation and at Hangul/Latin boundaries. */
export function pieces(text: string): string[] {
  const out: string[] = [];
  for (const word of normalize(text).replace(/몇\s+(?=\p{Script=Hangul})/gu, '몇').match(WORD) ?? []) {
    // Hyphenated and ampersand compounds are written both ways (키-밸류 / 키밸류, multi-site /
    // multisite, Q&A / QnA): the joined form is a piece too, besides the parts.
    const joined = /[-&]/.test(word) ? word.replace(/[-&]/g, '') : undefined;
    if (joined) out.push(...scriptRuns(joined));
    for (const part of joined ? word.split(/[-&]/) : [word]) out.push(...scriptRuns(part));
  }
  return out;
}

function scriptRuns(word: string): string[] {
  const out: string[] = [];
  for (const run of word.match(SCRIPT_RUN) ?? []) {
    // "node.js" stays whole for exact matches and also yields its parts.
    if (run.includes('.')) {
      out.push(run);
      out.push(...run.split('.').filter(Boolean));
    } else out.push(run);
  }
  return out;
}

/** Labels followed by a small number ("Day 1", "Session 3", "3G") also make one term: day1, session3. */
export const LABEL = /^[a-z]{2,12}$/;
export const SMALL_NUMBER = /^\d{1,2}$/;

/** Terms of the word fields: whole words and their stems, stop words dropped. */
export function wordTerms(text: string): string[] {
  return wordTermsOf(pieces(text));
}

/** `wordTerms` of a text already split by `pieces`, for callers that need the pieces too. */
export function wordTermsOf(all: string[]): string[] {
  const terms: string[] = [];
  all.forEach((piece, i) => {
    const next = all[i + 1];
    if (next && LABEL.test(piece) && SMALL_NUMBER.test(next)) terms.push(`${piece}${next}`);
  });
  for (const piece of all) {
    if (isHangul(piece)) {
      if (isFunctionWord(piece)) continue;
      const stem = stripParticle(piece);
      terms.push(piece);
      if (stem) terms.push(stem);
    } else if (!STOP_WORDS.has(piece)) {
      terms.push(piece.includes('.') ? piece : stemLatin(piece));
    }
  }
  return terms.filter((t) => t.length > 1 || /\p{N}/u.test(t) || isHangul(t));
}

/** Every term a text offers for matching a question: its words, their stems and its Hangul bigrams. */
export function matchTerms(text: string): Set<string> {
  return new Set([...wordTerms(text), ...hangulBigrams(text)]);
}

/**
 * Character bigrams of each Hangul word and of its stem, so 복구 finds 재해복구, 재해 복구 finds
 * 재해복구, and a one-letter typo (스텐바이) still shares most bigrams with the word (스탠바이).
 */
export function hangulBigrams(text: string): string[] {
  return hangulBigramsOf(pieces(text));
}

/** `hangulBigrams` of a text already split by `pieces`. */
export function hangulBigramsOf(all: string[]): string[] {
  const grams: string[] = [];
  for (const piece of all) {
    if (!isHangul(piece) || isFunctionWord(piece)) continue;
    const forms = new Set([piece, stripParticle(piece) ?? piece]);
    const seen = new Set<string>();
    for (const form of forms) {
      for (let i = 0; i + 2 <= form.length; i++) seen.add(form.slice(i, i + 2));
    }
    grams.push(...seen);
  }
  return grams;
}
