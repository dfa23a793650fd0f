import { isHangul, stemLatin, stripParticle } from './tokenizer.ts';

/**
 * How much a question word the notes never use tells about the question. A name ("Busan", "DMS",
 * "v2") names something the notes would have to mention to answer; an everyday verb, adjective or
 * adverb ("wrap", "tricky", "걸어두면") is usually paraphrase. Other unknown words ("hackathon",
 * "티셔츠") sit in between.
 */
export type UnknownWordKind = 'name' | 'everyday' | 'other';

/**
 * Common English verbs (with their irregular forms), adjectives, adverbs, prepositions, pronouns (everyone), the stems
 * contractions leave (weren, didn), contractions written without the apostrophe (youre), chat forms (kinda) and nouns
 * that only name the kind of answer wanted (topic, date): they carry no topic of their own (by stem). General
 * vocabulary, not words of this event's notes. (Stop words, which never count at all, are in the tokenizer.)
 */
const EVERYDAY_ENGLISH = new Set(
  `
  accord according add added allow appear apply ask asked begin bring build call called came care carry catch cause change
  check choose chose chosen come consider count cover deal decide decided describe did discuss end ended ensure expect explain
  explained fall feel felt figure find focus focused follow forget found give given go goes going gone good great happen happened hard hear
  heard help hold hope include involve keep kept lead learn learned leave left let lie list live look looked lose lost made make
  makes making matter mean meant meet mention mentioned mind miss missed move name named note noted offer open pick picked picking
  place play point prefer prepare present pretty put quite raise reach read ready really reason recall recommend recommended
  remember remind require return run said say says see seem seen send sense set show showed shown simply speak spent stand start
  started stay step stop suggest suggested suppose sure take taken talk talked tell tend think thought told tricky true try tried
  turn understand usual usually wait walk watch way went whole wish wonder work worked worth wrap write wrong
  able actual basic best better big bad clear common cool current different easy easier difficult early fine free full general
  high important interesting large last late little long low main major many nice normal old other own particular possible
  real recent right same short simple small special strong sure true typical various whole wide
  about almost already always anyway around away back certainly clearly definitely especially even ever finally first generally
  however instead later least maybe mostly often only perhaps probably quickly rather recently still sometimes soon together
  usually well yet today tomorrow tonight yesterday year week month previous prior former
  theme topic subject summary summarize summarise gist diff difference content contents date dates weekday abbreviation acronym
  get gets got getting gotten know knows knew known
  until since entire all super guys folks lot lots bit
  anywhere everywhere somewhere nowhere whatever whenever wherever conclude concluded
  nobody anybody everybody somebody originally everyone anyone someone everything anything something nothing inside outside
  deliver delivered notable risky avoid mainly hit hits hitting earn enjoy enjoyed smth rn abt ish
  shorter shortest longer longest earlier earliest latest bigger biggest smaller smallest higher highest lowest closest
  youre theyre im ive youve weve youd itll thats whats hows wheres whos theres kinda sorta gonna wanna gotta
  dont doesnt didnt isnt arent wasnt werent cant couldnt shouldnt wouldnt wont havent hasnt hadnt
  after before between during per among within across via through toward towards upon onto off over under above below
  along alongside besides including except specific rely depend fit fits suit suits despite rare handle handles
  isn aren wasn weren don doesn didn hasn haven hadn couldn shouldn wouldn
  gave took taken saw ran wrote written began begun spoke spoken brought bought sent held met paid sat stood won once twice one ones
  `
    .split(/\s+/)
    .filter(Boolean)
    .map(stemLatin),
);

/**
 * Korean words that only say what kind of answer is wanted or how it is asked for (its name, the reason, an
 * example, the topic, a start or an end, a place, the honorific 님, 궁금, 추천), negation and degree (안, 별로, 절대, 꽉),
 * frequency and order (항상, 주로, 다음, 각각, 한번), a side (쪽), alone and the same (혼자, 똑같은), must and need (꼭,
 * 필요), soon and early (금방, 일찍), finally (드디어), in all and in part (총, 일부), what an abbreviation stands for (약자, 줄임말), free
 * (공짜, 무료) and relative times (올해, 오늘, 전), like the English ones above (start, end, place, until, all, free): they carry no topic.
 */
const EVERYDAY_KOREAN = new Set(
  `
  님 성함 이름 이유 까닭 방법 방식 목록 리스트 종류 예시 사례들 경우 부분 정도 느낌 생각 의견 의미 결과 얘기 이야기
  차이 차이점 요약 설명 한줄 내용 말고 중 요일 추천 주제 궁금 대신 중요 안 별로 절대 전 올해 오늘 어제 내일 시작 끝 장소 위치
  각각 쪽 꽉 다음 가장 주로 보통 항상
  혼자 똑같은 똑같이 똑같아 데서 꼭 금방 빨리 일찍 늦게 한번 필요 바로
  드디어 총 일부
  약자 줄임말 풀네임 공짜 무료
  지금 근처 결론 머시기 어쩌구 부탁 분들 쯤 너 아무데나 아무데서 아무데서나 밑 위 아래
  `
    .split(/\s+/)
    .filter(Boolean),
);

/** A native number with its counter (두개, 세가지, 다섯명): how many the answer holds, as "two" says in English. */
const COUNTED = /^(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)(?:개|가지|명|번|군데|곳)$/u;

function isEverydayKoreanNoun(piece: string): boolean {
  const stem = stripParticle(piece) ?? piece;
  return EVERYDAY_KOREAN.has(piece) || EVERYDAY_KOREAN.has(stem) || DEMONSTRATIVE.test(piece) || COUNTED.test(stem);
}

/**
 * Words that point at what was said or shown (그걸로, 이거, 저런, 그렇게, 그때, 그동안, 그럼, 근데): like "that" and "then", they
 * carry no topic of their own. 이전 and 저장 are nouns, so 전 and 장 are not among the endings.
 */
const DEMONSTRATIVE = /^(?:[그이저](?:거|걸|것|게|건|런|럼|렇|때|곳|쪽|래서|런데|러면|러니까)|그전|그동안|근데|그럼)/u;

/** Korean predicate endings: a word the notes never use that ends so is most likely a verb or adjective. */
const KOREAN_PREDICATE = /(?:면|는데|는지|던|거|대|래|줘|해|어|아|요|지|냐|니|까|게|고|며|네|다|죠|든|라|야)$/u;

/**
 * Endings only verbs and adjectives take (했어, 됐대, 봐야돼, 말라던데, 옮긴다): such a word is a
 * predicate even when the notes happen to use it.
 */
const KOREAN_VERB_ENDING = /(?:[했됐었았였겠](?:어|대|지|음|냐|니|다|데|요|나|네|죠|래|던|든)|야돼|야해|는데|는지|라던데|냐고|려면|으면|한다|된다|한대|된대|간다|긴다|린다)$/u;

/**
 * The words of the question written as names: all capitals (AWS, DMS), with digits (v2, 3G),
 * capitalised inside a sentence (Busan), lower-cased; and numbers of three digits or more (2024, 500),
 * which name a year or a figure the notes would have to state.
 */
export function namesIn(question: string): Set<string> {
  const names = new Set<string>();
  for (const sentence of question.split(/[.!?]\s+/)) {
    const words = sentence.match(/[A-Za-z][A-Za-z0-9+-]*/g) ?? [];
    words.forEach((word, i) => {
      const shouted = word.length >= 2 && word === word.toUpperCase() && /[A-Z]/.test(word);
      const versioned = /\d/.test(word);
      const capitalised = i > 0 && /^[A-Z][a-z]/.test(word);
      if (shouted || versioned || capitalised) names.add(word.toLowerCase());
    });
  }
  for (const number of question.match(/\d{3,}/g) ?? []) names.add(number);
  return names;
}

/** The final consonant of a Hangul syllable: its index among the 27 (0 when it has none, 8 ㄹ, 20 ㅆ). */
function finalConsonant(syllable: string): number {
  const code = syllable.charCodeAt(0) - 0xac00;
  return code >= 0 && code < 11172 ? code % 28 : 0;
}

const FINAL_NIEUN = 4;
const FINAL_RIEUL = 8;
const FINAL_SSANG_SIOT = 20;

/**
 * Chat endings only verbs and adjectives take, beyond KOREAN_VERB_ENDING: polite -요, -서 and -도 after a verb's vowel
 * (봐요, 나눠줘요, 받아서, 먹어도; not 개요, 순서, 정도), -어줄 (요약해줄), must (가야돼, 해야됨, 먹어야), if and
 * when (받으려면, 받을라면, 될때), tried and found (적용해보니), reported speech (쓰라고, 말라던데, 쓰래요),
 * nominalised (쓰는거, 받음), while and after (발표하면서, 받고나서), for someone (보호해줌, 틀어준), 되고 (안되고), 나고 (끝나고, 만나고: a verb in 나다 before 고; nouns ending so are rare, unlike 고 alone: 광고, 창고),
 * meaning to (벗어나려; two syllables before it, since 고려 and 우려 are nouns), isn't it and right (아님, 맞음), and
 * any form of 없다 (없음, 없나).
 */
const KOREAN_CHAT_PREDICATE = /(?:돼|됨|[아어여해워와봐줘돼세예에래대네나]요|[아어여해워와봐줘]서|[아어여해워와봐줘]도|려면|보니|라고|던데|는거|는지|면서|고\s?나서|나고|[어아여해]야|줌|(?<=[가-힣])음|래요|되고|[어아여해워와]준|[어아여해워와]줄)$|(?<=[가-힣]{2})려$|^(?:아님|아냐|아니야|맞음|맞아)$|없/u;

/** A verb made a noun by 거 after its ㄴ or ㄹ form (받은거야, 나온거, 할거임): a syllable so closed, then 거 and a chat ending. */
const NOMINALISED = /(?<=[가-힣])거(?:야|임|지|예요|에요|냐|니)?$/u;

/** One-syllable chat verbs: 하다, 되다, 이다, 가다, 오다, 보다, 쓰다, 주다 as 함, 해, 됨, 임, 감, 옴, 봄, 씀, 줌. */
const KOREAN_ONE_SYLLABLE_PREDICATE = new Set([...'함해돼됨임감옴봄씀줌']);

/**
 * A conjugated Korean verb or adjective, told by its form: a syllable closed by ㅆ (past tense and 있다/없다:
 * 갔어, 뭐있었음, 볼수있음), a ㄹ-closed syllable before 때, 라면 or 까 (될때, 받을라면, 먹을까), or a chat ending.
 * Nouns of the notes hardly ever take these forms.
 */
function isKoreanPredicate(piece: string): boolean {
  const syllables = [...piece];
  if (syllables.some((syllable) => finalConsonant(syllable) === FINAL_SSANG_SIOT)) return true;
  if (piece.length < 2) return KOREAN_ONE_SYLLABLE_PREDICATE.has(piece);
  if (KOREAN_VERB_ENDING.test(piece) || KOREAN_CHAT_PREDICATE.test(piece)) return true;
  const nominalised = NOMINALISED.exec(piece)?.[0];
  if (nominalised !== undefined && syllables.length >= 3) {
    const before = finalBefore(syllables, nominalised);
    if (before === FINAL_NIEUN || before === FINAL_RIEUL) return true;
  }
  const ending = /(?:때|라면|까)$/u.exec(piece)?.[0];
  return ending !== undefined && finalBefore(syllables, ending) === FINAL_RIEUL;
}

/** The final consonant of the syllable just before `ending`, which ends the word `syllables` spell. */
function finalBefore(syllables: string[], ending: string): number {
  return finalConsonant(syllables.at(-ending.length - 1) ?? '');
}

/** A word that is everyday vocabulary whether or not the notes use it: an English verb or adjective, a conjugated Korean predicate, a Korean noun that only names the kind of answer. */
export function isEverydayWord(piece: string): boolean {
  return isHangul(piece) ? isKoreanPredicate(piece) || isEverydayKoreanNoun(piece) : EVERYDAY_ENGLISH.has(stemLatin(piece));
}

export function unknownWordKind(piece: string, names: Set<string>): UnknownWordKind {
  if (names.has(piece)) return 'name';
  if (isHangul(piece)) return (piece.length >= 2 && KOREAN_PREDICATE.test(piece)) || isEverydayWord(piece) ? 'everyday' : 'other';
  return EVERYDAY_ENGLISH.has(stemLatin(piece)) ? 'everyday' : 'other';
}
