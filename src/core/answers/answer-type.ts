/**
 * What kind of answer a question asks for, when it asks for a number of some kind: a passage that
 * states no such thing does not answer it, however many of its words match ("How many booths were
 * at the expo?" against a passage that lists the booths but never counts them).
 */
export interface AnswerType {
  name: 'percent' | 'saving' | 'people' | 'year' | 'age' | 'size' | 'money' | 'length' | 'duration' | 'clock' | 'floor' | 'version' | 'count';
  question: RegExp;
  /** What a passage must contain to answer. */
  evidence: RegExp;
}

/** A price: a number with a currency; the notes' relative cost marks ($, $$) are not prices. */
const PRICE = String.raw`[$₩€]\s?\d|\d\s*(?:[십백천만억]\s*)*(?:원|달러|(?:dollars?|usd|krw|cents?)\b)`;
const PERCENT = String.raw`%|퍼센트|\bpercent|\d\s*배|\d+x\b|\btimes\b`;

const DURATION = /\d\s*(?:시간|분|초|일|주|개월|년|hours?|minutes?|mins?|seconds?|days?|weeks?|months?|years?)|수\s*(?:초|분|시간|일)|\b(?:seconds|minutes|hours|days)\b/iu;

const KOREAN_COUNT = '(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)';
const ENGLISH_COUNT = '(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|dozens?|hundreds?|thousands?)';

/** Most specific first: "how many people" is a head count before it is a count. */
export const ANSWER_TYPES: readonly AnswerType[] = [
  {
    name: 'percent',
    question: /몇\s*(?:퍼|프로)|퍼센트|\bpercent|%/iu,
    evidence: new RegExp(PERCENT, 'iu'),
  },
  {
    // "How much did they save?": a saving is stated as a share or a sum; a passage that only says costs went down does not answer it.
    name: 'saving',
    question: /얼마나\s*(?:줄|절감|절약|아끼|아꼈|아낀|낮|감소)|how much\b(?:\s+\S+){0,5}\s+(?:sav|cut|reduc|lower|shrank|dropp?)/iu,
    evidence: new RegExp(`${PERCENT}|${PRICE}`, 'iu'),
  },
  {
    name: 'people',
    question: /몇\s*명|인원|참석자\s*수|참가자\s*수|how many (?:people|attendees|participants|persons|visitors|members)/iu,
    evidence: new RegExp(`\\d[\\d,]*\\s*(?:명|people|persons|attendees|participants)|${KOREAN_COUNT}\\s*명|\\b${ENGLISH_COUNT}\\s+(?:people|persons|speakers|members)`, 'iu'),
  },
  {
    name: 'year',
    question: /몇\s*년도|어느\s*해|(?:what|which) year|when was\b.*\b(?:founded|established|launched)|언제\s*(?:설립|창립|창업|세워|만들어)/iu,
    evidence: /\b(?:19|20)\d{2}\b|\d{2,4}\s*년/iu,
  },
  {
    name: 'age',
    // 나이 and 연세 as words, not the start of 나이트 or 연세대.
    question: /몇\s*살|(?:나이|연세)(?=[가는도를]?(?:\s|[?.!]|$))|how old\b|\bage\b/iu,
    evidence: /\d+\s*(?:세|살)|\b\d+\s*years?\s*old|\baged?\s*\d+/iu,
  },
  {
    name: 'size',
    // Of data, not capacity in general (DynamoDB's capacity modes), nor how much data a strategy may lose (RPO).
    question: /몇\s*(?:테라|기가|메가|페타|tb|gb|mb)|(?:데이터|(?<![a-z])db|디비|스토리지)\s*(?:의\s*)?(?:용량|양|크기|규모)|용량\s*(?:이|은|는)?\s*(?:얼마|몇)|(?:data|database|(?<![a-z])db|storage)\s+(?:size|volume)|size of (?:the )?(?:data|database|db)|how much (?:data|storage)\b(?!.*\blos)/iu,
    evidence: /\d\s*(?:tb|gb|mb|pb|테라|기가|메가|페타)|\b(?:tera|giga|mega|peta)bytes?\b/iu,
  },
  {
    name: 'money',
    question: /가격|요금|얼마\s*(?:예요|에요|임|야|였|인가|짜리|나와|나옴|나오|들어|들었|정도|쯤)|\bpric(?:e|es|ed|ing)\b|how much (?:does|did|do|is|was|will)\b.*\bcost|how much (?:was|were|is|are) (?:a |an |the )?(?!.*\b(?:data|time|downtime|storage|traffic|faster|slower|cheaper|better|bigger|smaller|saved?|savings?)\b)[a-z]|\bwhat (?:does|did|do|would|will)\b.*\bcost\b|\bcosts? per\b|\bper (?:hour|month|gb|server|instance)\b/iu,
    evidence: new RegExp(`${PRICE}|무료|\\bfree\\b`, 'iu'),
  },
  {
    // How long a talk or a day lasted, in minutes or hours: its start and end (11:10–11:50) say it as well.
    name: 'length',
    question: /몇\s*(?:시간|분)(?!\s*에)|how long (?:was|is|were|did|does)\b.*\b(?:sessions?|talks?|keynotes?|presentations?|days?)\b/iu,
    evidence: new RegExp(`${DURATION.source}|\\d{1,2}:\\d{2}\\s*[–~-]\\s*\\d{1,2}:\\d{2}`, 'iu'),
  },
  {
    name: 'duration',
    // 며칠차 and 며칠째 ask which day, not how long.
    question: /몇\s*(?:시간|분|초|일|주|달|개월|년)(?!\s*(?:에|차|째))|며칠(?!\s*(?:에|차|째))|얼마나\s*(?:걸|오래)|how long|소요\s*시간/iu,
    evidence: DURATION,
  },
  {
    name: 'clock',
    question: /몇\s*시(?!간)|what time/iu,
    evidence: /\d{1,2}\s*(?::\d{2}|시)|\b(?:am|pm)\b|오전|오후/iu,
  },
  {
    name: 'floor',
    question: /몇\s*층|어느\s*층|(?:which|what) (?:floor|level)/iu,
    evidence: /\d\s*층|\d+(?:st|nd|rd|th)[\s-]*floor|\bfloor\s*\d|\b(?:level|B)\s*\d/iu,
  },
  {
    name: 'version',
    question: /(?:어떤|어느|무슨|몇)\s*버전|버전\s*(?:은|이|뭐|몇)|(?:which|what) (?:\S+\s+){0,2}versions?\b/iu,
    // A version number (19c, 8.0, v2, 14.x), not a word that merely names versions.
    evidence: /\b\d+[cgi]\b|\b\d+\.(?:\d+|x)\b|\bv\d+|\bversion\s*\d|\d+\s*버전/iu,
  },
  {
    name: 'count',
    question: /몇\s*(?:개|가지|곳|번|단계|층|세션|군데)|how many/iu,
    // A counted number ("6개의 세션", "42 sessions", "four strategies"), not a date, a time or a label (6월, 09:30, Day 1).
    evidence: new RegExp(
      `(?<!(?:day|session|step|part|slot|level|phase|version|v)\\s?)(?<!\\d)\\d+\\s*(?:개|가지|곳|명|번|회|단계|세션|부스|갈래|군데|종|편|[a-z]{3,})|${KOREAN_COUNT}\\s*(?:개|가지|곳|명|번|단계|갈래|군데)|\\b${ENGLISH_COUNT}\\s+[a-z]{3,}|\\b(?:several|few|dozen)\\b`,
      'iu',
    ),
  },
];

/**
 * What a sentence naming a place looks like, for the lead of a "where" question (the `place` intent). Not a
 * filter on passages: a place is said in too many ways for a pattern to know them all.
 */
export const PLACE_STATED = /\d\s*층|\b\d+(?:st|nd|rd|th)\s+floor|\bfloors?\b|\bhall\b|홀|\bB\d\b|지하|auditorium|오디토리움|\broom\b|세션장|베뉴|\bvenues?\b|\bCOEX\b|코엑스|부스|\bbooths?\b|행사장/iu;

export function expectedAnswer(question: string): AnswerType | undefined {
  return ANSWER_TYPES.find((type) => type.question.test(question));
}

const COUNTED_AFTER = /how many\s+([a-z][a-z-]+)|몇\s*(?:개|가지|곳|군데|명)의\s*([가-힣A-Za-z]+)/iu;
const COUNTED_BEFORE = /([가-힣A-Za-z]{2,})\s*(?:은|는|이|가|을|를|도)?\s*(?:총|모두|전부|다|전체)?\s*몇\s*(?:개|가지|곳|군데|명|대|번)/u;

/**
 * The word a count question counts ("how many booths", "부스 몇 개", "몇 개의 세션"): a number in the
 * passage answers it only when it counts that word, not some other thing in the same paragraph.
 */
export function countedWord(question: string): string | undefined {
  const after = COUNTED_AFTER.exec(question);
  const word = after ? (after[1] ?? after[2]) : COUNTED_BEFORE.exec(question)?.[1];
  return word?.toLowerCase();
}
