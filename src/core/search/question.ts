import type { Locale } from '../i18n.ts';
import { isHangul, pieces, STOP_WORDS } from './tokenizer.ts';

/**
 * Mention markup carries no question: Slack's and Discord's escaped forms (`<@U123>`, `<@!123>`,
 * `<@&123>`, `<!channel>`, `<#C1|name>`) and the plain forms adapters turn them into (`@everyone`,
 * `@summit-bot`).
 */
const MENTION = /<[@!#][^>\s]*>|(?<![\p{L}\p{N}._%+-])@[\p{L}\p{N}._-]+/gu;

/**
 * How short the asker wants the answer ("in one line", "in a nutshell", "한줄로", "간단히"): a request about
 * the reply's form, not words the passage must hold ("line" would find the queues).
 */
const ANSWER_FORM =
  /\b(?:in (?:one|a single|a|a few|few|a couple of|two|three|four|five|\d) (?:short )?(?:lines?|sentences?|words?|bullets?|bullet points?|paragraphs?)|in a nutshell|in short|briefly|tl;?dr)\b|(?:한|두|세|네|몇|\d)\s?(?:줄|문장|마디)(?:로|으로|(?=\s?요약))|간단히|간단하게|짧게/giu;

/** The question without mention markup or a request for a short answer, spaces collapsed. */
export function cleanQuestion(question: string): string {
  const unmentioned = question.replace(MENTION, ' ');
  const cleaned = unmentioned.replace(ANSWER_FORM, ' ');
  // A question that is nothing but such a request ("간단히") stays as it was asked.
  return (cleaned.trim() === '' ? unmentioned : cleaned).replace(/\s+/g, ' ').trim();
}

/** A message that only greets or thanks: chat's courtesies, answered as such rather than searched. */
export type SmallTalk = 'greeting' | 'thanks';

const GREETING_WORDS = new Set(['hi', 'hello', 'hey', 'heya', 'hiya', 'howdy', 'yo', 'morning', '안녕', '안녕하세요', '안녕하십니까', '하이', '헬로', '반가워', '반가워요', '반갑습니다']);
const THANKS_WORDS = new Set(['thanks', 'thank', 'thx', 'ty', 'cheers', 'appreciated', '고마워', '고마워요', '고맙습니다', '감사', '감사해', '감사해요', '감사합니다', '땡큐', '덕분에']);
/** Words that go with a greeting or thanks without asking anything ("thanks a lot", "hi there", "good morning all"). */
const COURTESY_FILLERS = new Set(['you', 'a', 'lot', 'so', 'very', 'much', 'there', 'all', 'everyone', 'guys', 'folks', 'good', 'bot', 'again', '봇', '님', '정말', '진짜', '너무', '많이', '살았어', '살았음', '살았다']);

/** Whether the whole message is a greeting or a thanks ("안녕하세요~", "thanks a lot!"), and which; thanks wins over a greeting. */
export function smallTalk(question: string): SmallTalk | undefined {
  const words = question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0 || !words.every((word) => GREETING_WORDS.has(word) || THANKS_WORDS.has(word) || COURTESY_FILLERS.has(word))) return undefined;
  if (words.some((word) => THANKS_WORDS.has(word))) return 'thanks';
  return words.some((word) => GREETING_WORDS.has(word)) ? 'greeting' : undefined;
}

/**
 * The language a question is written in: Korean when it has Hangul; English when it reads as English
 * (a function word, or two Latin words or more); otherwise, e.g. a bare product name, undecided.
 */
export function questionLanguage(question: string): Locale | undefined {
  const words = pieces(question);
  if (words.some(isHangul)) return 'ko';
  const latin = words.filter((word) => /\p{Script=Latin}/u.test(word));
  if (latin.some((word) => STOP_WORDS.has(word)) || latin.length >= 2) return 'en';
  return undefined;
}

/** Words that make a question a comparison ("A랑 B 뭐가 달라?", "A vs B", "difference between A and B"). */
const COMPARISON_CUE = /차이|달라|달랐|다르|다른\s*점|다른가|다름|비교|\bvs\.?\b|\bversus\b|\bdiffer|\bcompar|\bbetter\b/i;
const KOREAN_AND = /^(.+?)(이랑|랑|하고|와|과)$/u;
/** Words that join the two sides when written apart: English ones, and Korean particles after a space (day1 이랑 day2). */
const ENGLISH_AND = new Set(['and', 'vs', 'vs.', 'versus', 'or', 'with', 'to', '대', '이랑', '랑', '와', '과', '하고']);
const CUE_WORD = /^(?:차이\S*|달라\S*|다른\S*|다름\S*|비교\S*|뭐가|어떻게|무엇이|difference\S*|differ\S*|compare\S*|comparison|between|better|which|what's|what|is|are|the|a|an)$/i;

/** Whether a Hangul syllable ends in a consonant (has a final jamo), which decides 이랑 vs 랑 after it. */
function endsInConsonant(syllable: string): boolean {
  const code = syllable.charCodeAt(0) - 0xac00;
  return code >= 0 && code < 11172 && code % 28 !== 0;
}

/** "웜스탠바이랑" → 웜스탠바이 (랑 after a vowel); "오라클이랑" → 오라클; "day1이랑" → day1. */
function beforeKoreanAnd(token: string): string | undefined {
  const match = KOREAN_AND.exec(token);
  if (!match) return undefined;
  const [, stem, particle] = match as unknown as [string, string, string];
  if (particle === '이랑') {
    const last = stem.at(-1) ?? '';
    if (/\p{Script=Hangul}/u.test(last) && !endsInConsonant(last)) return `${stem}이`;
  }
  return stem;
}

/**
 * The two things a comparison question compares, or undefined when it is not one. Each side keeps the
 * words around it, minus the comparison words, so each can be searched on its own.
 */
export function comparisonSides(question: string): [string, string] | undefined {
  if (!COMPARISON_CUE.test(question)) return undefined;
  const tokens = question.replace(/[?？!.,]+/g, ' ').split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i]!;
    const korean = /\p{Script=Hangul}$/u.test(token) ? beforeKoreanAnd(token) : undefined;
    const english = ENGLISH_AND.has(token.toLowerCase());
    if (korean === undefined && !english) continue;
    const left = [...tokens.slice(0, i), ...(korean !== undefined ? [korean] : [])].filter((t) => !CUE_WORD.test(t));
    const right = tokens.slice(i + 1).filter((t) => !CUE_WORD.test(t));
    if (left.length > 0 && right.length > 0) return [left.join(' '), right.join(' ')];
  }
  return undefined;
}

const ORDINALS: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5, sixth: 6, '6th': 6, 첫: 1, 두: 2, 세: 3, 네: 4, 다섯: 5, 여섯: 6 };
const SLOT_PATTERNS = [
  /\b(?:session|slot)\s*#?\s*(\d{1,2})\b/i,
  /세션\s*#?\s*(\d{1,2})(?![\d:시분])/u,
  /(\d{1,2})\s*(?:번째|번)\s*(?:세션|session)/iu,
  /\b(first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th)\s+(?:session|talk)\b/i,
  /(첫|두|세|네|다섯|여섯)\s*번째\s*(?:세션|강연|발표)/u,
];

/** The session number a question names ("session 3", "세 번째 세션", "the second talk"), if any. */
export function sessionSlot(question: string): number | undefined {
  for (const pattern of SLOT_PATTERNS) {
    const match = pattern.exec(question);
    if (!match) continue;
    const value = match[1]!.toLowerCase();
    return ORDINALS[value] ?? Number(value);
  }
  return undefined;
}
