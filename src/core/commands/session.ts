import { t, type Locale } from '../i18n.ts';
import { actions, citation, fields, heading, list, reply, text, type Action, type Block, type Reply } from '../reply.ts';
import type { Knowledge, SessionNote, SkippedSession } from '../knowledge/knowledge.ts';
import { formatSpeaker, formatSpeakerEn } from '../knowledge/describe.ts';
import { fieldIn, listIn, noteTitleIn, optionalIn } from '../knowledge/language.ts';
import { normalize, wordTerms } from '../search/tokenizer.ts';
import { questionLanguage } from '../search/question.ts';
import { formatClockTime, minutesOfDay, parseClockTime } from '../duration.ts';
import { cut } from './ask.ts';
import { isConfident } from '../answers/decide.ts';
import { publicOption } from './options.ts';
import { sessionUnavailableText, skippedName, unavailableReply } from './unavailable.ts';
import type { Command, CommandContext, Suggestion } from './types.ts';

/** Longest piece of one knowledge field in a reply; the whole record stays well inside one message. */
const MAX_ABSTRACT = 700;
const MAX_ITEM = 220;
const MAX_ITEMS = 15;
const MAX_SUGGESTIONS = 25;
const MAX_LABEL = 100;
/** "Details" buttons under the schedule: within every platform's buttons per message, beside "share". */
const MAX_DETAIL_BUTTONS = 20;

type Locate =
  | { kind: 'one'; session: SessionNote; note?: string }
  | { kind: 'many'; sessions: SessionNote[] }
  | { kind: 'none'; message: string; closest: SessionNote[] }
  /** The session asked for is in a note that is skipped because its file has an error. */
  | { kind: 'unavailable'; session: SkippedSession };

const clean = (value: string): string => normalize(value).trim().replace(/\s+/g, ' ');
const hasContent = (value: string): boolean => /[\p{L}\p{N}]/u.test(value);
const echo = (query: string): string => (query.length > 80 ? `${query.slice(0, 80)}…` : query);

/** `needle` inside `hay`; Latin needles must stand as whole words, so "dr" does not match "drive". */
function containsWord(hay: string, needle: string): boolean {
  if (needle === '') return false;
  if (!/^[a-z0-9]/.test(needle) && !/[a-z0-9]$/.test(needle)) return hay.includes(needle);
  let from = 0;
  for (;;) {
    const at = hay.indexOf(needle, from);
    if (at < 0) return false;
    const before = hay[at - 1] ?? ' ';
    const after = hay[at + needle.length] ?? ' ';
    const latinStart = /^[a-z0-9]/.test(needle);
    const latinEnd = /[a-z0-9]$/.test(needle);
    if ((!latinStart || !/[a-z0-9]/.test(before)) && (!latinEnd || !/[a-z0-9]/.test(after))) return true;
    from = at + 1;
  }
}

/** "에티버스 (Etevers)" → the whole name and each of its spellings. */
function companyNames(company: string): string[] {
  const whole = clean(company);
  const parts = whole.split(/[()/,]/).map((p) => p.trim()).filter((p) => p.length > 0);
  return [...new Set([whole, ...parts])];
}

/** What `/session <key>` needs to find exactly this session. */
export function sessionKey(session: SessionNote, knowledge: Knowledge): string {
  return session.meta.day === knowledge.plannedDay() ? String(session.meta.slot) : `day${session.meta.day} ${session.meta.slot}`;
}

const SLOT = /^(?:(?:day|d|데이)\s*(\d{1,2})\s*)?(?:session|세션|slot|#)?\s*(\d{1,2})\s*(?:번)?\s*(?:세션)?$/u;
const DAY_FIRST = /^(\d{1,2})\s*일\s*차\s*(\d{1,2})\s*번?(?:\s*세션)?$/u;

function bySlot(knowledge: Knowledge, query: string, locale: Locale): Locate | undefined {
  const match = SLOT.exec(query) ?? DAY_FIRST.exec(query);
  if (!match) return undefined;
  const day = match[1] ? Number(match[1]) : knowledge.plannedDay();
  const slot = Number(match[2]);
  const session = knowledge.sessions.find((s) => s.meta.day === day && s.meta.slot === slot);
  if (session) return { kind: 'one', session };
  const skipped = knowledge.skippedSessions.find((s) => s.day === day && s.slot === slot);
  if (skipped) return { kind: 'unavailable', session: skipped };
  return { kind: 'none', message: t('sessionSlotNotFound', locale, { day, slot }), closest: knowledge.sessions.filter((s) => s.meta.day === day) };
}

function byTime(knowledge: Knowledge, query: string, locale: Locale): Locate | undefined {
  const minutes = parseClockTime(query);
  if (minutes === undefined) return undefined;
  const day = knowledge.plannedDay();
  const time = formatClockTime(minutes);
  const sessions = knowledge.sessions.filter((s) => s.meta.day === day);
  const running = sessions.find((s) => minutesOfDay(s.meta.start) <= minutes && minutes < minutesOfDay(s.meta.end));
  if (running) return { kind: 'one', session: running, note: t('sessionRunningAt', locale, { time }) };
  const next = sessions.filter((s) => minutesOfDay(s.meta.start) > minutes).sort((a, b) => minutesOfDay(a.meta.start) - minutesOfDay(b.meta.start))[0];
  // A skipped session that runs then, or starts before the next served one, is the answer, though unavailable.
  const skipped = knowledge.skippedSessions
    .filter((s): s is SkippedSession & { start: string; end: string } => s.day === day && s.start !== undefined && s.end !== undefined)
    .filter((s) => minutes < minutesOfDay(s.end) && (!next || minutesOfDay(s.start) < minutesOfDay(next.meta.start)))
    .sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start))[0];
  if (skipped) return { kind: 'unavailable', session: skipped };
  if (next) return { kind: 'one', session: next, note: t('sessionNextAfter', locale, { time, start: next.meta.start }) };
  return { kind: 'none', message: t('sessionNoneAfter', locale, { day, time }), closest: sessions };
}

/** 100: exact title, speaker or company; 90: inside the title, a speaker's name or a company; 0: neither. */
function strongScore(session: SessionNote, query: string): number {
  const titles = [session.meta.title, session.meta.title_en].filter((t): t is string => t !== undefined).map(clean);
  const title = titles.join(' \n ');
  const names = session.meta.speakers.flatMap((s) => [s.name, s.name_en].filter((n): n is string => n !== undefined).map(clean));
  const companies = session.meta.speakers.flatMap((s) => [...companyNames(s.company), ...(s.company_en ? companyNames(s.company_en) : [])]);
  if (titles.includes(query) || names.includes(query) || companies.includes(query)) return 100;
  if ([...query].length < 2) return 0;
  if (containsWord(title, query)) return 90;
  if (names.some((name) => containsWord(name, query) || ([...name].length >= 2 && containsWord(query, name)))) return 90;
  if (companies.some((company) => containsWord(company, query))) return 90;
  const queryTerms = wordTerms(query);
  const titleTerms = new Set(wordTerms(title));
  if (queryTerms.length > 0 && queryTerms.every((term) => titleTerms.has(term))) return 85;
  return 0;
}

/** A keyword of the note, or a speaker's role. */
function keywordMatch(session: SessionNote, query: string): boolean {
  if ([...query].length < 2) return false;
  if (session.meta.keywords.some((k) => clean(k) === query)) return true;
  return session.meta.speakers.some((s) => containsWord(clean(s.role), query));
}

/** Best search score per session note, counting only passages that answer the query. */
function searchScores(knowledge: Knowledge, query: string): Map<string, number> {
  const scores = new Map<string, number>();
  const hits = knowledge.index.search(query, { noteIds: knowledge.sessions.map((s) => s.note.id), limit: 20 });
  for (const hit of hits) {
    if (!isConfident(hit)) continue;
    scores.set(hit.section.noteId, Math.max(scores.get(hit.section.noteId) ?? 0, hit.score));
  }
  return scores;
}

/** Picks the clear leader by search score, or reports a tie. */
function bySearchScore(candidates: SessionNote[], scores: Map<string, number>): Locate {
  const ranked = [...candidates].sort((a, b) => (scores.get(b.note.id) ?? 0) - (scores.get(a.note.id) ?? 0));
  const first = ranked[0]!;
  const top = scores.get(first.note.id) ?? 0;
  const second = ranked[1] ? (scores.get(ranked[1].note.id) ?? 0) : 0;
  if (ranked.length === 1 || top >= second * 1.5) return { kind: 'one', session: first };
  return { kind: 'many', sessions: ranked.filter((s) => (scores.get(s.note.id) ?? 0) * 1.5 > top) };
}

function byText(knowledge: Knowledge, query: string, locale: Locale): Locate {
  const notFound = (): Locate => {
    const hits = hasContent(query) ? knowledge.index.search(query, { noteIds: knowledge.sessions.map((s) => s.note.id), limit: 10 }) : [];
    const ids = [...new Set(hits.map((h) => h.section.noteId))];
    const closest = ids.flatMap((id) => knowledge.sessions.filter((s) => s.note.id === id));
    // Closest first, then the rest of the schedule: there are few sessions, and noise can look close.
    const rest = knowledge.sessions.filter((s) => !closest.includes(s));
    return { kind: 'none', message: t('sessionNotFound', locale, { query: echo(query) }), closest: [...closest, ...rest] };
  };
  const q = clean(query);
  if (!hasContent(q)) return notFound();

  const strong = knowledge.sessions.map((session) => ({ session, score: strongScore(session, q) }));
  const top = Math.max(...strong.map((s) => s.score));
  if (top > 0) {
    const best = strong.filter((s) => s.score === top).map((s) => s.session);
    return best.length === 1 ? { kind: 'one', session: best[0]! } : { kind: 'many', sessions: best };
  }

  const scores = searchScores(knowledge, q);
  const keyword = knowledge.sessions.filter((s) => keywordMatch(s, q));
  if (keyword.length > 0) return bySearchScore(keyword, scores);
  const searched = knowledge.sessions.filter((s) => scores.has(s.note.id));
  if (searched.length > 0) return bySearchScore(searched, scores);
  return notFound();
}

/** Finds the session(s) a `/session` argument means: slot number, clock time, speaker, company or keyword. */
export function locateSession(knowledge: Knowledge, query: string, locale: Locale): Locate {
  const q = clean(query);
  return bySlot(knowledge, q, locale) ?? byTime(knowledge, q, locale) ?? byText(knowledge, query, locale);
}

function speakersLine(session: SessionNote, locale: Locale): string {
  return session.meta.speakers.length > 0
    ? session.meta.speakers.map((s) => `${fieldIn(s, 'name', locale)} (${fieldIn(s, 'company', locale)})`).join(', ')
    : t('sessionNoSpeakers', locale);
}

function attendanceText(session: SessionNote, locale: Locale, max: number): string {
  const { attended } = session.meta;
  const note = optionalIn(session.meta, 'attendance_note', locale);
  const mark = attended ? t('sessionAttended', locale) : t('sessionNotAttended', locale);
  if (!note) return mark;
  const flat = note.replace(/\s+/g, ' ').trim();
  return `${mark} — ${flat.length > max ? `${flat.slice(0, max).trimEnd()}…` : flat}`;
}

function scheduleLine(session: SessionNote, locale: Locale): string {
  const { start, end, slot } = session.meta;
  const title = fieldIn(session.meta, 'title', locale);
  return `${start}–${end}  ${title} (Session ${slot})\n   ${speakersLine(session, locale)} · ${attendanceText(session, locale, 110)}`;
}

function shortLine(session: SessionNote, knowledge: Knowledge, locale: Locale): string {
  const { start, end, day, slot } = session.meta;
  const title = fieldIn(session.meta, 'title', locale);
  return `\`/session ${sessionKey(session, knowledge)}\` · Day ${day} Session ${slot} · ${start}–${end} ${title}`;
}

function pickHint(sessions: SessionNote[], knowledge: Knowledge, locale: Locale): string {
  const examples = sessions.slice(0, 4).map((s) => `\`/session ${sessionKey(s, knowledge)}\``).join(' · ');
  return t('sessionPickHint', locale, { examples });
}

/** A skipped session in the schedule: where it would be, and which file and line keep it out. */
function skippedScheduleLine(session: SkippedSession, locale: Locale): string {
  const time = session.start && session.end ? `${session.start}–${session.end}  ` : '';
  const name = session.title ?? session.id ?? session.file;
  return `${time}${name} (Session ${session.slot})\n   ⚠️ ${t('unavailableShort', locale)}: ${session.problem.file}:${session.problem.line}`;
}

export function scheduleReply(knowledge: Knowledge, locale: Locale): Reply {
  if (knowledge.sessions.length + knowledge.skippedSessions.length === 0) return reply([text(t('sessionNone', locale))], { isError: true });
  const days = [...new Set([...knowledge.sessions.map((s) => s.meta.day), ...knowledge.skippedSessions.map((s) => s.day)])].sort((a, b) => a - b);
  const blocks: Block[] = [];
  for (const day of days) {
    const lines = [
      ...knowledge.sessions.filter((s) => s.meta.day === day).map((s) => ({ slot: s.meta.slot, line: scheduleLine(s, locale) })),
      ...knowledge.skippedSessions.filter((s) => s.day === day).map((s) => ({ slot: s.slot, line: skippedScheduleLine(s, locale) })),
    ].sort((a, b) => a.slot - b.slot);
    blocks.push(heading(t('sessionScheduleTitle', locale, { day })));
    blocks.push(list(lines.map((l) => l.line)));
  }
  blocks.push(text(t('sessionScheduleHint', locale)));
  blocks.push(citation(knowledge.sessions.map((s) => ({ label: noteTitleIn(s.note, locale), source: s.note.source }))));
  const details = knowledge.sessions.slice(0, MAX_DETAIL_BUTTONS).map((s): Action => {
    const key = sessionKey(s, knowledge);
    return { kind: 'more', label: t('sessionDetails', locale, { slot: key.replace(/^day(\d+) /, '$1-') }), command: `/session ${key}` };
  });
  blocks.push(actions([...details, { kind: 'share', label: t('share', locale), command: '/session' }]));
  return reply(blocks);
}

function relatedLine(knowledge: Knowledge, id: string, locale: Locale): string | undefined {
  const note = knowledge.note(id);
  if (!note) {
    const skipped = knowledge.skippedNote({ id });
    return skipped && `${skippedName(skipped)} (${t('unavailableShort', locale)}: ${skipped.problem.file}:${skipped.problem.line})`;
  }
  const session = knowledge.sessions.find((s) => s.note.id === id);
  const title = noteTitleIn(note, locale);
  if (session) return `${title} (\`/session ${sessionKey(session, knowledge)}\`)`;
  if (note.meta.kind === 'dr-strategies') return `${title} (\`/dr\`)`;
  if (note.meta.kind === 'tips') return `${title} (\`/tip\`)`;
  return title;
}

export function sessionRecord(knowledge: Knowledge, session: SessionNote, locale: Locale, lead?: string): Reply {
  const { meta, note } = session;
  const clip = (item: string) => (item.length > MAX_ITEM ? `${item.slice(0, MAX_ITEM).trimEnd()}…` : item);
  const speakers =
    meta.speakers.length > 0 ? meta.speakers.map(locale === 'en' ? formatSpeakerEn : formatSpeaker).join(locale === 'en' ? '; ' : ', ') : t('sessionNoSpeakers', locale);
  const blocks: Block[] = [];
  if (lead) blocks.push(text(lead));
  blocks.push(heading(fieldIn(meta, 'title', locale)));
  blocks.push(
    fields([
      { label: t('sessionDay', locale), value: `Day ${meta.day}` },
      { label: t('sessionTime', locale), value: `${meta.start}–${meta.end}` },
      { label: t('sessionSlot', locale), value: `Session ${meta.slot}` },
      { label: t('sessionSpeakers', locale), value: speakers },
      { label: t('sessionAttendance', locale), value: attendanceText(session, locale, 400) },
    ]),
  );
  blocks.push(heading(t('sessionAbstract', locale)), text(cut(fieldIn(meta, 'abstract', locale), MAX_ABSTRACT, locale)));
  const outline = listIn(meta, 'outline', locale);
  const takeaways = listIn(meta, 'takeaways', locale);
  if (outline.length > 0) blocks.push(heading(t('sessionOutline', locale)), list(outline.slice(0, MAX_ITEMS).map(clip)));
  if (takeaways.length > 0) blocks.push(heading(t('sessionTakeaways', locale)), list(takeaways.slice(0, MAX_ITEMS).map(clip)));
  const related = meta.related.map((id) => relatedLine(knowledge, id, locale)).filter((line): line is string => line !== undefined);
  if (related.length > 0) blocks.push(heading(t('relatedNotes', locale)), list(related));
  blocks.push(citation([{ label: noteTitleIn(note, locale), source: note.source }]));
  blocks.push(actions([{ kind: 'share', label: t('share', locale), command: `/session ${sessionKey(session, knowledge)}` }]));
  return reply(blocks);
}

function run(ctx: CommandContext, query: string): Reply {
  // Words in a language answer in it ("/session who talked about TANGO"); a number or a time keeps the asker's.
  const locale = questionLanguage(query) ?? ctx.locale;
  return { ...sessionReply(ctx.knowledge, query, locale), locale };
}

function sessionReply(knowledge: Knowledge, query: string, locale: Locale): Reply {
  if (query === '') return scheduleReply(knowledge, locale);
  if (knowledge.sessions.length + knowledge.skippedSessions.length === 0) return reply([text(t('sessionNone', locale))], { isError: true });
  const found = locateSession(knowledge, query, locale);
  switch (found.kind) {
    case 'one':
      return sessionRecord(knowledge, found.session, locale, found.note);
    case 'many':
      return reply([
        text(t('sessionAmbiguous', locale, { query: echo(query) })),
        list(found.sessions.map((s) => `${shortLine(s, knowledge, locale)} — ${speakersLine(s, locale)}`)),
        text(pickHint(found.sessions, knowledge, locale)),
      ]);
    case 'unavailable':
      return unavailableReply(sessionUnavailableText(found.session, locale), locale);
    case 'none': {
      const closest = found.closest.length > 0 ? found.closest : knowledge.sessions;
      const blocks: Block[] = [text(found.message)];
      if (closest.length > 0) {
        blocks.push(heading(t('sessionClosest', locale)), list(closest.slice(0, 6).map((s) => shortLine(s, knowledge, locale))), text(pickHint(closest, knowledge, locale)));
      }
      // The session asked for may be one that is skipped: say which are, and why.
      for (const skipped of knowledge.skippedSessions) blocks.push(text(sessionUnavailableText(skipped, locale)));
      return reply(blocks, { isError: true });
    }
  }
}

function suggestionLabel(session: SessionNote, locale: Locale): string {
  const names = session.meta.speakers.map((s) => fieldIn(s, 'name', locale)).join(', ');
  const suffix = names ? ` — ${names}` : '';
  const prefix = `${session.meta.start} `;
  const room = Math.max(10, Math.min(40, MAX_LABEL - prefix.length - suffix.length));
  const full = fieldIn(session.meta, 'title', locale);
  const title = full.length > room ? `${full.slice(0, room).trimEnd()}…` : full;
  const label = `${prefix}${title}${suffix}`;
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

/** 0: exact, 1: prefix, 2: inside; undefined when the session does not match what was typed. */
function suggestionRank(session: SessionNote, partial: string, time: number | undefined): number | undefined {
  const { meta } = session;
  const candidates = [
    String(meta.slot),
    meta.start,
    clean(meta.title),
    ...(meta.title_en ? [clean(meta.title_en)] : []),
    ...meta.speakers.flatMap((s) => [clean(s.name), ...(s.name_en ? [clean(s.name_en)] : []), ...companyNames(s.company)]),
  ];
  let rank: number | undefined;
  for (const candidate of candidates) {
    const r = candidate === partial ? 0 : candidate.startsWith(partial) ? 1 : candidate.includes(partial) ? 2 : undefined;
    if (r !== undefined && (rank === undefined || r < rank)) rank = r;
  }
  if (rank === undefined && time !== undefined && minutesOfDay(meta.start) <= time && time < minutesOfDay(meta.end)) rank = 1;
  if (rank === undefined && partial.length >= 2 && meta.keywords.some((k) => clean(k).startsWith(partial))) rank = 3;
  return rank;
}

export function suggestSessions(knowledge: Knowledge, partial: string, locale: Locale): Suggestion[] {
  const q = clean(partial);
  const toSuggestion = (s: SessionNote): Suggestion => ({ label: suggestionLabel(s, locale), value: sessionKey(s, knowledge) });
  if (q === '') return knowledge.sessions.slice(0, MAX_SUGGESTIONS).map(toSuggestion);
  const time = parseClockTime(q);
  return knowledge.sessions
    .map((session, order) => ({ session, order, rank: suggestionRank(session, q, time) }))
    .filter((r): r is { session: SessionNote; order: number; rank: number } => r.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, MAX_SUGGESTIONS)
    .map((r) => toSuggestion(r.session));
}

export const sessionCommand: Command = {
  name: 'session',
  description: { ko: 'Day 2 세션 일정과 세션별 기록을 보여줍니다', en: 'Show the Day 2 session schedule and each session’s notes' },
  usage: ['/session', '/session <번호·시간·발표자·회사·키워드 | number, time, speaker, company, keyword>'],
  examples: ['/session', '/session 3', '/session 14:20', '/session 오후 2시', '/session 서호석', '/session 오라클'],
  options: [
    {
      name: 'query',
      label: { ko: '세션', en: 'session' },
      type: 'string',
      required: false,
      form: 'text',
      autocomplete: true,
      description: {
        ko: '세션 번호, 시간(14:20, 오후 2시), 발표자, 회사 또는 키워드',
        en: 'Session number, time (14:20, 2pm), speaker, company or keyword',
      },
    },
    publicOption,
  ],
  run: (ctx, input) => run(ctx, input.text.trim()),
  suggest: (ctx, _option, partial) => suggestSessions(ctx.knowledge, partial, ctx.locale),
};
