/**
 * The kind of answer a question asks for. "Who…" is answered by a section naming speakers,
 * "what time…" by a schedule, "what is…" by a definition; such sections get a modest boost.
 */
export interface Intent {
  name: string;
  question: RegExp;
  /** Matched against the section's heading path. */
  heading: RegExp;
  boost: number;
}

export const INTENTS: readonly Intent[] = [
  {
    name: 'definition',
    question: /(뭐야|뭔가요|뭐지|뭐예요|무엇|이란|란\?|뜻|의미|정의|\bwhat\s+(is|are)\b|\bwhat's\b|\bwhats\b|\bdefin|\bmeaning\b|\bexplain)/i,
    heading: /(란\??|이란|설명|개요|정의|소개|overview|what is)/i,
    boost: 1.5,
  },
  {
    name: 'person',
    question: /(\bwho\b|\bwhom\b|누가|누구|연사|발표자(?!료)|강연자|\bspeakers?\b|\bpresenters?\b|\bpresented\b|\bgave\b)/i,
    heading: /(연사|발표자|speaker|세션 정보)/i,
    boost: 1.6,
  },
  {
    name: 'time',
    question: /(몇 ?시|what time|\bwhen\b|언제|\bhours?\b|시작|끝나|까지 해|\bstarts?\b|\bends?\b|\buntil\b|timetable|시간표)/i,
    // A session's time is in its generated "세션 정보" section.
    heading: /(시간|일정|time|schedule|시간표|세션 정보)/i,
    boost: 1.4,
  },
  {
    name: 'reason',
    question: /(왜|이유|어째서|\bwhy\b|\breasons?\b|how come)/i,
    heading: /(이유|why|reason)/i,
    boost: 1.5,
  },
  {
    name: 'place',
    question: /(\bwhere\b|어디|장소|위치|which floor|몇 ?층|\bvenue\b)/i,
    heading: /(장소|위치|venue|place|where)/i,
    boost: 1.4,
  },
];

/** The boost for a section heading under the intents the question shows (1 when none apply). */
export function intentBoost(question: string): ((headingPath: string) => number) | undefined {
  const active = INTENTS.filter((intent) => intent.question.test(question));
  if (active.length === 0) return undefined;
  return (headingPath) => active.reduce((factor, intent) => (intent.heading.test(headingPath) ? factor * intent.boost : factor), 1);
}
