import { describe, expect, it } from 'vitest';
import { expectedAnswer } from '../../../src/core/answers/answer-type.ts';
import { decideAnswer, type AnswerDecision } from '../../../src/core/answers/decide.ts';
import type { Knowledge } from '../../../src/core/knowledge/knowledge.ts';
import { shippedKnowledge, topicKnowledge as knowledgeOf } from '../../helpers.ts';

const knowledge = shippedKnowledge();
const decide = (question: string, fallbackLanguage: 'ko' | 'en' = 'ko') => decideAnswer(knowledge, question, { fallbackLanguage });
const first = (decision: AnswerDecision) => decision.shown[0];
const sources = (decision: AnswerDecision) => decision.shown.map((p) => p.hit.section.source);
/** The heading of the first passage shown for a Korean asker, over notes of a test's own. */
const firstHeadingIn = (notes: Knowledge, question: string) => first(decideAnswer(notes, question, { fallbackLanguage: 'ko' }))?.hit.section.heading;

describe('decideAnswer: sessions from their metadata', () => {
  it.each(['what was the 3pm session about', '오후 3시 세션 뭐였어', '15시 20분 세션 발표자 누구야', 'session 4 speakers', '네 번째 세션 누가 했어'])(
    '%j → the DR session (15:20–16:00), led by its record',
    (question) => {
      const decision = decide(question);
      expect(decision.kind).toBe('session');
      expect(first(decision)?.hit.section.source).toBe('sessions/multi-region-dr.md');
      expect(first(decision)?.hit.section.headingPath[0]).toMatch(/Session Info/);
    },
  );

  it('leads a who-question with the speakers, in the question\'s language', () => {
    const english = decide('who talked about TANGO');
    expect(first(english)?.lead.join(' ')).toMatch(/^Speakers: Kim Ji-hoon \(김지훈\).*Park Seung-jeon/);
    const korean = decide('15시 20분 세션 발표자 누구야');
    expect(first(korean)?.lead).toEqual(['연사(발표자)와 소속: 안준환 (솔루션즈 아키텍트, AWS), Yongzhe Ren (솔루션즈 아키텍트, AWS)']);
  });

  it('answers "when" about a session with its time', () => {
    expect(first(decide('RDS 마이그레이션 세션 몇 시에 해?'))?.lead.join(' ')).toContain('14:20');
    expect(first(decide('when was the DynamoDB session'))?.lead.join(' ')).toContain('13:10');
  });
});

describe('decideAnswer: comparisons', () => {
  it('shows both sides, each led by what it says', () => {
    const decision = decide('웜스탠바이랑 파일럿라이트 뭐가 달라?');
    expect(decision.kind).toBe('comparison');
    const headings = decision.shown.map((p) => p.hit.section.headingPath.at(-1));
    expect(headings).toEqual(expect.arrayContaining(['웜 스탠바이 (Warm Standby)', '파일럿 라이트 (Pilot Light)']));
  });

  it('puts first a passage that covers both, when the notes have one', () => {
    const decision = decide('day1이랑 day2 뭐가 달라?');
    const text = first(decision)!.hit.section.text;
    expect(text).toMatch(/Day 1/);
    expect(text).toMatch(/심화/);
  });

  it('among passages that cover both, puts first one whose heading names both', () => {
    expect(first(decide('rto vs rpo?'))?.hit.section.heading).toMatch(/Recovery Objectives/);
  });
});

describe('decideAnswer: answer or refuse', () => {
  it.each(['가가가가가가', 'asdf qwer', 'ㅋㅋㅋㅋ', '🍕🍕🍕', '피자 레시피 알려줘', 'who won the football game last night'])('refuses %j', (question) => {
    expect(decide(question).shown).toEqual([]);
  });

  it('refuses "how many" when the passage about it states no count, and answers when it does', () => {
    expect(decide('How many booths were at the expo?').shown).toEqual([]);
    expect(first(decide('하루에 베뉴별로 세션이 몇 개야?'))?.lead.join(' ')).toContain('6개');
  });

  it('refuses "how many X" when the counts near X count something else', () => {
    expect(decide('How many tables did SKT move to open source?').shown).toEqual([]);
    expect(first(decide('how many DR strategies are there'))?.lead.join(' ')).toMatch(/4 \(four\) cloud disaster recovery strategies/);
    expect(first(decide('DR 전략 몇 가지야?'))?.lead.join(' ')).toContain('네 가지');
  });

  it('refuses a question about a detail the notes leave out, though its topic\'s passages hold the other words', () => {
    for (const question of ['Were vegan lunch boxes available?', 'DR 데모에서 쓴 리전 어디였어?', '세션 끝나고 뒷풀이 파티 있었음?']) {
      expect(decide(question).shown, question).toEqual([]);
    }
  });

  it('answers "which floor" from a passage that states a floor', () => {
    expect(first(decide('오디토리움 몇층이었지?'))?.lead.join(' ')).toContain('3층');
    expect(first(decide('which floor is the keynote on'))?.lead.join(' ')).toContain('auditorium on the 3rd floor');
  });

  it('refuses a saving, a price, a number of days, a version, a year, an age or a data size the notes never state, beside a passage about the topic', () => {
    for (const question of [
      'What year was Flitto founded?',
      '강동한 CTO님 나이가 어떻게 돼?',
      'how old is the Flitto CTO',
      'TANGO 데이터 용량 몇 테라였어?',
      'How much did the Galaxy team save on their DynamoDB bill?',
      'DynamoDB 세션에서 비용 얼마나 줄였다고 함?',
      '웜 스탠바이로 구성하면 월 비용 얼마 나옴?',
      'RDS Custom for Oracle 어떤 버전까지 지원함?',
      'which Oracle version does RDS Custom support',
      'How is AWS Elastic Disaster Recovery priced?',
      'what does a warm standby setup cost per month?',
      'how much was a ticket for the summit?',
      'how much were tickets',
    ]) {
      expect(decide(question).shown, question).toEqual([]);
    }
  });

  it('answers a saving, a price, a number of days or a version from a passage that states it', () => {
    const small = knowledgeOf('migration', '마이그레이션 사례', [
      '## 비용 절감 (Cost Savings)',
      '라이선스 비용을 40% 줄였고 월 비용은 120만원이 되었다.',
      '## 엔진 버전 (Engine Version)',
      'Oracle 19c에서 PostgreSQL 14.7로 옮겼다.',
      '## 일정 (Schedule)',
      '전환은 3일 걸렸다.',
      '## 회사 (Company)',
      '2012년에 세운 회사이고, 대표의 나이는 45세다.',
      '## 데이터 (Data)',
      '옮긴 데이터의 용량은 12TB였다.',
    ]);
    const ask = (question: string) => firstHeadingIn(small, question);
    expect(ask('비용 얼마나 줄였어?')).toBe('비용 절감 (Cost Savings)');
    expect(ask('월 비용 얼마 나와?')).toBe('비용 절감 (Cost Savings)');
    expect(ask('how much did they save on cost')).toBe('비용 절감 (Cost Savings)');
    expect(ask('how much was the license?')).toBe('비용 절감 (Cost Savings)');
    expect(ask('엔진 어떤 버전으로 옮겼어?')).toBe('엔진 버전 (Engine Version)');
    expect(ask('전환 며칠 걸렸어?')).toBe('일정 (Schedule)');
    expect(ask('회사 몇 년도에 세웠어?')).toBe('회사 (Company)');
    expect(ask('대표 나이 몇 살이야?')).toBe('회사 (Company)');
    expect(ask('옮긴 데이터 용량 얼마였어?')).toBe('데이터 (Data)');
  });

  it('answers how long a talk ran from its start and end, and not how long a migration took from a talk\'s times', () => {
    const small = knowledgeOf('talk', '마이그레이션 발표', [
      '## 발표 정보 (Talk Info)',
      '발표는 Day 2 11:10–11:50에 열렸다.',
      '## 전환 (Cutover)',
      '전환 작업의 진행 방식을 소개했다.',
    ]);
    const ask = (question: string) => firstHeadingIn(small, question);
    expect(ask('마이그레이션 발표 몇 분짜리였어?')).toBe('발표 정보 (Talk Info)');
    expect(ask('발표 몇 시간 했어?')).toBe('발표 정보 (Talk Info)');
    expect(first(decide('how long was the DR session?'))?.lead.join(' ')).toMatch(/\d{1,2}:\d{2}\s*[–~-]\s*\d{1,2}:\d{2}/);
    expect(ask('전환 작업 몇 주 걸렸어?')).toBeUndefined();
    // 며칠차 asks which day, not how many days: a passage needs no number of days to answer it.
    expect(expectedAnswer('글쓴이 며칠차에 갔어?')).toBeUndefined();
  });

  it('weighs the nouns that only ask for a name or a reason, and honorifics, as little as "name" and "reason"', () => {
    expect(first(decide('플리토 CTO님 성함이 뭐였더라'))?.lead.join(' ')).toContain('강동한');
  });

  it('weighs chat verb forms (어케해야됨, 뭐있었음, 갔어, 적용해보니, 벗어나려, 함, 아님) as the asking, not as the topic', () => {
    expect(first(decide('런치박스 받으려면 어케해야됨'))?.lead.join(' ')).toContain('런치박스');
    expect(first(decide('키노트 비용절감 팁 뭐있었음'))?.hit.section.heading).toMatch(/Cost Optimization/);
    expect(first(decide('글쓴이 누구랑 갔어'))?.lead.join(' ')).toContain('팀원들');
    const tango = knowledge.index.analyze('탱고에 그래비톤 적용해보니 어땠대?').pieces;
    const weightIn = (word: string) => tango.find((piece) => piece.text === word)!.weight;
    // 적용해보니 is read as 적용해 and 보니 (a noun the notes use, glued to its verb).
    for (const asking of ['보니', '어땠대']) expect(weightIn(asking), asking).toBeLessThan(weightIn('그래비톤') / 2);
    expect(first(decide('SKT가 오라클 벗어나려 한 이유'))?.hit.section.source).toBe('sessions/de-oracle.md');
    expect(first(decide('키노트 어디서 함?'))?.hit.section.heading).toMatch(/Keynote Time & Venue/);
    expect(first(decide('런치박스 어디서 줌?'))?.hit.section.heading).toMatch(/Lunch Box/);
    expect(decide('오토스케일링 그냥 걸어두면 되는거 아님?').shown.map((p) => p.hit.section.heading).join(' ')).toMatch(/auto scaling/);
  });

  it('reads a noun the notes use written together with the verb after it as the two words (부스돌면서 → 부스 돌면서)', () => {
    const textsOf = (question: string) => knowledge.index.analyze(question).pieces.map((piece) => piece.text);
    expect(textsOf('부스돌면서 받은 굿즈')).toEqual(expect.arrayContaining(['부스', '돌면서']));
    expect(textsOf('고무밴드받으려면 언제 가야돼')).toEqual(expect.arrayContaining(['고무밴드', '받으려면']));
    expect(first(decide('기조연설보려면 어디로 가?'))?.hit.section.heading).toMatch(/Keynote Time & Venue/);
    // A word the notes write (their tokenizer already reads 자동화하려면 as 자동화) and a noun alone stay whole.
    expect(textsOf('자동화하려면')).toEqual(['자동화하려면']);
    // 하다 and 되다 make one verb of the noun before them.
    expect(textsOf('발표하면서')).toEqual(['발표하면서']);
    expect(textsOf('재해복구전략')).toEqual(['재해복구전략']);
  });

  it('weighs verbs made nouns (받은거야), -면서, -고나서, -야, -ㄹ까, -어준, -래요, 해줌, and 추천, 궁금, 대신, 주제 as the asking', () => {
    const pieceOf = (question: string, word: string) => knowledge.index.analyze(question).pieces.find((piece) => piece.text === word);
    const asking = pieceOf('런치박스 어디서 줌', '줌')!.weight;
    for (const word of ['받은거야', '나온거야', '발표하면서', '받고나서', '먹어야', '보호해줌', '먹을까', '추천', '틀어준', '쓰래요', '안되고', '궁금', '대신', '주제', '올해', '끝나고', '만나고', '시작', '끝', '장소', '위치', '항상', '쪽', '각각', '주로', '그걸로', '그럼', '이거', '그때', '봐요', '받아서', '먹어도', '혼자', '똑같은', '꼭', '그동안', '금방', '한번', '필요', '바로', '요약해줄', '드디어', '총', '일부', '약자', '공짜', '두개', '세가지', '지금', '근처', '밑에', '부탁']) {
      expect(pieceOf(`런치박스 ${word}`, word)?.weight, word).toBeLessThanOrEqual(asking);
    }
    // A verb is not read as an English word spelled in Hangul (받음 is not "bottom").
    expect([...pieceOf('런치박스 받음', '받음')!.words]).toEqual(['받음']);
  });

  it('weighs words that only ask for a kind of answer (theme, 한줄 설명), and everyday verbs and prepositions (known, getting, between), as little as "name"', () => {
    expect(first(decide("what was day 1's theme"))?.hit.section.heading).toMatch(/Industry Day/);
    expect(first(decide('AWS 백업 서비스 한줄 설명'))?.hit.section.heading).toMatch(/AWS Backup/);
    expect(first(decide('what is AWS Backup in one line'))?.hit.section.heading).toMatch(/AWS Backup/);
    expect(first(decide('CMDB 약자'))?.lead.join(' ')).toMatch(/Configuration Management Database|구성 관리 데이터베이스/);
    expect(first(decide('what tech stack is flitto known for running on'))?.lead.join(' ')).toContain('Node.js');
    expect(first(decide('What time did the keynote run from and until?'))?.hit.section.heading).toMatch(/Keynote Time & Venue/);
    expect(knowledge.index.analyze('difference in content').pieces.map((piece) => piece.weight)).toEqual(knowledge.index.analyze('difference in theme').pieces.map((piece) => piece.weight));
    const weightOf = (question: string, word: string) => knowledge.index.analyze(question).pieces.find((piece) => piece.text === word)?.weight;
    // Irregular forms of everyday verbs, prepositions and "one" weigh like "talk": the notes using "gave" once does not make it a topic.
    for (const word of ['gave', 'onto', 'one', 'date', 'weren', 'despite', 'previous', 'until', 'all', 'folks', 'entire', 'anywhere', 'conclude', 'nobody', 'originally', 'doesnt', 'didnt', 'summarize', 'acronym', 'everyone', 'inside', 'youre', 'kinda', 'delivered', 'enjoy', 'risky', 'shorter', 'earliest']) expect(weightOf(`who ${word} the DR automation talk`, word)).toBe(weightOf('DR automation talk', 'talk'));
  });

  it('joins a label and its number only as the notes do: "Day 1" is one word, "started 9" is two', () => {
    expect(first(decide('keynote started 9:30, when did it end?'))?.lead.join(' ')).toMatch(/10:40/);
    expect(first(decide('session 3 speakers'))?.hit.section.source).toBe('sessions/rds-migration.md');
  });

  it('reads a word that names a property of every JavaScript object (constructor, toString) as any other word', () => {
    for (const question of ['constructor 1', 'toString 2', '__proto__ 3']) expect(() => decide(question), question).not.toThrow();
  });

  it('reads a label Korean writes before a number as the notes\' label: 데이1 is Day 1, and so are 데이원 and 데이 원', () => {
    expect(knowledge.index.analyze('데이1 데이 2 주제').pieces.map((piece) => piece.text)).toEqual(['day1', 'day2', '주제']);
    expect(knowledge.index.analyze('데이원 데이 투 주제').pieces.map((piece) => piece.text)).toEqual(['day1', 'day2', '주제']);
    // A number name alone is a word like any other (원 is also the currency).
    expect(knowledge.index.analyze('천 원').pieces.map((piece) => piece.text)).not.toContain('1');
    expect(decide('데이1이랑 데이2 뭐가 달라?').shown.map((p) => p.hit.section.heading)).toEqual(
      expect.arrayContaining(['Day 1: 산업 업종별 강연 (Industry Day)', 'Day 2: 기술 주제별 강연 (Technical Day)']),
    );
  });

  it('reads two English words the notes write as one (key note, stand by) as that word', () => {
    expect(knowledge.index.analyze('warm stand by cost').pieces.map((piece) => piece.text)).toEqual(['warm', 'standby', 'cost']);
    expect(first(decide('when did the key note start'))?.hit.section.heading).toMatch(/Keynote Time & Venue/);
  });

  it('weighs a dotted name (Node.js) as one word, not again as each of its parts', () => {
    expect(knowledge.index.analyze('Which Node.js framework').pieces.map((piece) => piece.text)).toEqual(['node.js', 'framework']);
  });

  it('asks "when" of a schedule: the keynote\'s time, not the day it was on; 며칠날 asks like 며칠', () => {
    expect(first(decide('When did the keynote run on Day 2?'))?.hit.section.heading).toMatch(/Keynote Time & Venue/);
    expect(knowledge.index.analyze('써밋 며칠날 열렸나요?').pieces.map((piece) => piece.text)).not.toContain('며칠날');
  });

  it('knows everyday words of times and plans in both languages (kick off, morning; pattern for strategy)', () => {
    expect(decide('what time did the sessions kick off each morning?').shown.map((p) => p.lead.join(' ')).join(' ')).toContain('9:30');
    expect(first(decide('If I only care about not losing data, which DR pattern fits?'))?.hit.section.heading).toMatch(/Pilot Light/);
  });

  it('matches a word the notes lack as the start of longer ones (migrat…), but not a stem the stemmer ended in i (party → parti, not participant)', () => {
    expect(decide('Was there an after party?').shown).toEqual([]);
    expect(first(decide('migrat plan for tango'))?.hit.section.source).toBe('sessions/de-oracle.md');
  });

  it('reads a year the notes never mention as a name they would have to state', () => {
    expect(decide('AWS Summit Seoul 2025 언제 해?').shown).toEqual([]);
    expect(first(decide('AWS Summit Seoul 2023 언제 했어?'))?.lead.join(' ')).toContain('5월 3일');
  });

  it('says a session\'s speakers are not named instead of showing its record', () => {
    for (const question of ['다이나모DB 세션 연사 누구야', 'who spoke at the 13:10 session']) {
      const decision = decide(question);
      expect(decision.shown).toEqual([]);
      expect(decision.speakersUnnamed?.note.id).toBe('session-dynamodb');
    }
    expect(decide('탈오라클 세션 발표자 누구야').speakersUnnamed).toBeUndefined();
    expect(decide('발표자료 언제 공개돼?').speakersUnnamed).toBeUndefined();
  });

  it('refuses a question about something the notes never name, beside what they do name', () => {
    expect(decide('Is there an AWS Summit in Busan this year?').shown).toEqual([]);
    expect(decide('점심 비건 옵션 있었어?').shown).toEqual([]);
  });

  it('answers through particles, glued compounds and Korean spellings of English words', () => {
    expect(first(decide('재해복구전략'))?.hit.section.source).toBe('dr-strategies.md');
    expect(first(decide('슬레이브db엔 뭐 적용한대?'))?.hit.section.text).toContain('Slave DB');
  });

  it('answers a topic looked up by its words, though an unanswered question adds a detail to the same words', () => {
    expect(first(decide('SQL 전환 가이드'))?.lead.join(' ')).toContain('SQL 전환 가이드');
    expect(decide('skt도 부스 있었어').shown.length).toBeGreaterThan(0);
    expect(decide('SQL 전환 가이드 몇 페이지짜리였어?').unrecorded).toBeDefined();
  });

  it('reads a question word glued to its noun (어느회사, 무슨세션) as the two words, and every form of 뭐 (뭐래, 뭐라던데) as the asking', () => {
    const textsOf = (question: string) => knowledge.index.analyze(question).pieces.map((piece) => piece.text);
    expect(textsOf('박승전님 어느회사 사람임?')).toContain('회사');
    expect(textsOf('무슨세션 들었어')).toEqual(['세션', '들었어']);
    expect(textsOf('리전 기준 잡기 어려운 이유가 뭐래')).not.toContain('뭐래');
    expect(textsOf('DR 얘기 뭐라던데')).toEqual(['dr']);
  });

  it('reads the writer and the blogger as the author the notes name', () => {
    expect(first(decide('did the writer make it into the dynamo talk?'))?.lead.join(' ')).toMatch(/could not get in|couldn't get in|full/i);
    expect(first(decide('which day did the blogger go?'))?.lead.join(' ')).toContain('Day 2');
  });

  it('shows first, among passages ranked close, the one whose answering sentences hold the question', () => {
    expect(first(decide('which TANGO parts are moving to the cloud'))?.hit.section.heading).toBe('TANGO란? (SK Telecom TANGO)');
    expect(first(decide('온프렘 시스템 재해복구 자동화할땐 어떤 서비스 쓰라고 했어?'))?.hit.section.heading).toBe('세션 소개와 연사 (Session Overview & Speakers)');
  });

  it('answers a request for a summary in a few lines, as one without it', () => {
    expect(sources(decide('summarize the keynote in a few lines'))).toEqual(sources(decide('keynote summary')));
    expect(decide('summarize the keynote in a few lines').shown).not.toEqual([]);
  });

  it('reads the question without mention markup', () => {
    expect(sources(decide('@everyone <@U123> RPO가 뭐야'))).toEqual(sources(decide('RPO가 뭐야')));
  });
});

describe('decideAnswer: things asked in other words', () => {
  it('answers a question that names what a thing is instead of its name', () => {
    expect(first(decide('which convention center hosted the summit?'))?.lead.join(' ')).toContain('COEX');
    expect(first(decide('what processor did they recommend'))?.lead.join(' ')).toContain('Graviton');
    expect(first(decide('any telcos at the expo?'))?.lead.join(' ')).toContain('SKT');
  });

  it('reads chat Korean: 어따 as where, 실물로 as in person', () => {
    expect(first(decide('카드목걸이 받으면 어따 씀'))?.hit.section.heading).toBe('입장과 이름표 카드 목걸이 (Badge / Name Card Lanyard)');
    expect(first(decide('키노트 실물로 보려면 어디 가야돼'))?.lead.join(' ')).toContain('오디토리움');
  });

  it('reads a keynote\'s guests as its speakers', () => {
    expect(first(decide('who were the day 2 keynote guests'))?.hit.section.heading).toBe('기조연설 연사 (Keynote Speakers)');
  });

  it('reads "take place" as held', () => {
    expect(first(decide('where did the summit take place?'))?.lead.join(' ')).toContain('COEX');
  });
});

describe('decideAnswer: the recap\'s author', () => {
  it('answers what the author did from the notes that name the author beside the team', () => {
    expect(first(decide("which swag did the recap's author get?"))?.hit.section.heading).toBe('EXPO 체험과 기념품 (Swag & Giveaways)');
    // Shown, though not always first: the English stemmer reads authorization as author, so the security Q&A competes.
    expect(decide('which day was the author there?').shown.some((passage) => passage.lead.join(' ').includes('Day 2'))).toBe(true);
  });
});

describe('decideAnswer: language', () => {
  it('answers in the question\'s language, else the asker\'s', () => {
    expect(decide('where do I pick up my badge').language).toBe('en');
    expect(decide('배지 어디서 받아?', 'en').language).toBe('ko');
    expect(decide('graviton', 'en').language).toBe('en');
    expect(decide('graviton', 'ko').language).toBe('ko');
  });

  it('leads a where-question with the sentence that names the place, beside the one that names the topic', () => {
    expect(first(decide('where is the keynote held?'))?.lead.join(' ')).toContain('on the 3rd floor');
    expect(first(decide('기조연설 어디서 해?'))?.lead.join(' ')).toContain('3층 오디토리움');
    expect(first(decide('런치박스 어디서 받아?'))?.lead.join(' ')).toContain('베뉴');
    // A question that does not ask where keeps its one answering sentence.
    expect(first(decide('when is the keynote?'))?.lead.join(' ')).not.toContain('3rd floor');
  });

  it('leads with the sentence that answers, in that language', () => {
    expect(first(decide('where do I pick up my badge'))?.lead.join(' ')).toContain('Hall B of COEX');
    expect(first(decide('what is pilot light'))?.lead).toEqual([
      'A strategy that keeps replicating the data to the DR Region but keeps the compute resources switched off (turned off), or creates them when needed.',
    ]);
    expect(first(decide('RPO가 뭐야'))?.lead.join(' ')).toMatch(/^- 복구시점 목표\(RPO\)/);
  });
});

describe('decideAnswer: questions a section lists', () => {
  it('makes a section the answer when a question it lists asks the same thing in other words', () => {
    const small = knowledgeOf('venue', '행사장', [
      '## 주차 (Parking)',
      '코엑스 동문 쪽 지하 2층을 쓰면 된다.',
      ':::questions',
      '- 차 어디에 대?',
      '- where can I park my car?',
      ':::',
      '## 점심 (Lunch)',
      '런치박스를 준다.',
    ]);
    const decision = decideAnswer(small, 'where do I park?', { fallbackLanguage: 'ko' });
    expect(first(decision)?.hit.section.heading).toBe('주차 (Parking)');
    // Listed questions are searched, never shown.
    expect(first(decision)?.hit.section.text).not.toContain('where can I park');
  });

  it('refuses a question one of its unanswered questions asks, and answers one its questions ask more closely', () => {
    const small = knowledgeOf('venue', '행사장', [
      '## 주차 (Parking)',
      '코엑스 동문 쪽 지하 2층 주차장을 쓰면 된다.',
      ':::en',
      'Use the parking lot on basement level 2, by the east gate of COEX.',
      ':::',
      ':::questions',
      '- 주차장 어디야?',
      '- where is the parking lot?',
      ':::',
      ':::unanswered',
      '- 주차장 요금 얼마야?',
      '- how many spaces does the parking lot have?',
      ':::',
      '## 점심 (Lunch)',
      '런치박스를 준다.',
    ]);
    const ask = (question: string) => decideAnswer(small, question, { fallbackLanguage: 'ko' });
    expect(ask('how many spaces were in the COEX parking lot?').shown).toEqual([]);
    expect(ask('코엑스 주차장 요금 얼마였어?').shown).toEqual([]);
    expect(first(ask('where was the parking lot?'))?.hit.section.heading).toBe('주차 (Parking)');
    expect(first(ask('코엑스 주차장 어디였어?'))?.hit.section.heading).toBe('주차 (Parking)');
    // Unanswered questions are matched, never searched or shown.
    expect(small.index.search('spaces')).toEqual([]);
  });

  it('refuses by an unanswered question only when it asks the same kind of thing (who, when, how many…)', () => {
    const small = knowledgeOf('venue', '행사장', [
      '## 주차 (Parking)',
      '주차장은 코엑스 동문 쪽 지하 2층에 있고 밤 11시에 문을 닫는다.',
      ':::unanswered',
      '- 주차장 누가 운영해?',
      ':::',
    ]);
    const ask = (question: string) => decideAnswer(small, question, { fallbackLanguage: 'ko' });
    expect(ask('주차장 누가 운영했어?').unrecorded?.heading).toBe('주차 (Parking)');
    expect(first(ask('주차장 몇 시에 닫아?'))?.lead.join(' ')).toContain('11시');
  });
});
