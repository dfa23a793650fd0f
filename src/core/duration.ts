/**
 * Durations (RTO/RPO targets, `/dr rto=4h rpo=15m`) and clock times (`/session 14:20`)
 * as people type them, in English or Korean.
 */
import type { Locale } from './i18n.ts';

/** Nothing a user means by RTO or RPO is longer than a year; larger numbers are typos. */
export const MAX_DURATION_SECONDS = 365 * 86_400;

const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
type Unit = keyof typeof UNIT_SECONDS;

/** Unit words, longest first within each unit so `min` is not read as `m` + junk. */
const UNIT_WORDS: [string, Unit][] = (
  [
    ['seconds', 's'], ['second', 's'], ['secs', 's'], ['sec', 's'], ['s', 's'], ['초', 's'],
    ['minutes', 'm'], ['minute', 'm'], ['mins', 'm'], ['min', 'm'], ['m', 'm'], ['분', 'm'],
    ['hours', 'h'], ['hour', 'h'], ['hrs', 'h'], ['hr', 'h'], ['h', 'h'], ['시간', 'h'],
    ['days', 'd'], ['day', 'd'], ['d', 'd'], ['일', 'd'],
  ] as [string, Unit][]
).sort((a, b) => b[0].length - a[0].length);

const UNIT_PATTERN = UNIT_WORDS.map(([word]) => word).join('|');
/** One `<number><unit>` part; the unit must not run into more letters (`15mx`). */
const PART = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*(${UNIT_PATTERN})(?![\\p{L}])\\s*`, 'u');

function clean(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Seconds in a duration: `0`, `30s`, `15m`, `4h`, `1d`, `1.5h`, `1h30m`, `4 hours`, `30 sec`,
 * `4시간`, `1시간 30분`. Undefined for empty, negative, unit-less (other than 0), repeated-unit,
 * junk or absurd (over a year) input.
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  let rest = clean(text);
  if (rest === '' || rest.length > 64) return undefined;
  if (/^0+(\.0+)?$/.test(rest)) return 0;
  let total = 0;
  const seen = new Set<Unit>();
  while (rest !== '') {
    const match = PART.exec(rest);
    if (!match) return undefined;
    const unit = UNIT_WORDS.find(([word]) => word === match[2])?.[1];
    if (!unit || seen.has(unit)) return undefined;
    seen.add(unit);
    total += Number(match[1]) * UNIT_SECONDS[unit];
    rest = rest.slice(match[0].length);
  }
  if (!Number.isFinite(total) || total < 0 || total > MAX_DURATION_SECONDS) return undefined;
  return Math.round(total);
}

const UNIT_NAMES: Record<Locale, Record<Unit, string>> = {
  ko: { d: '일', h: '시간', m: '분', s: '초' },
  en: { d: ' d', h: ' h', m: ' min', s: ' s' },
};

/** `14400` → "4시간" / "4 h"; `5400` → "1시간 30분" / "1 h 30 min"; `0` → "0". */
export function formatDuration(seconds: number, locale: Locale): string {
  let rest = Math.max(0, Math.round(seconds));
  if (rest === 0) return '0';
  const parts: string[] = [];
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const amount = Math.floor(rest / UNIT_SECONDS[unit]);
    rest -= amount * UNIT_SECONDS[unit];
    if (amount > 0) parts.push(`${amount}${UNIT_NAMES[locale][unit]}`);
  }
  return parts.join(' ');
}

const MORNING = new Set(['오전', '아침', '새벽', 'am', 'a.m.', 'a.m']);
const AFTERNOON = new Set(['오후', '저녁', '밤', 'pm', 'p.m.', 'p.m']);

/**
 * Minutes since midnight of a clock time: `14:20`, `2:20pm`, `2 PM`, `오후 2시`, `오후 2시 20분`,
 * `2시 반`, `14시`, `14시 20분`, `오후 2:20`. A bare number (`14`) is not a time.
 */
export function parseClockTime(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  let rest = clean(text);
  if (rest === '' || rest.length > 32) return undefined;
  let meridiem: 'am' | 'pm' | undefined;
  const prefix = /^(오전|오후|아침|저녁|새벽|밤)\s*/.exec(rest);
  if (prefix) {
    meridiem = MORNING.has(prefix[1]!) ? 'am' : 'pm';
    rest = rest.slice(prefix[0].length);
  }
  const suffix = /\s*(a\.m\.?|p\.m\.?|am|pm)$/.exec(rest);
  if (suffix) {
    if (meridiem) return undefined;
    meridiem = AFTERNOON.has(suffix[1]!) ? 'pm' : 'am';
    rest = rest.slice(0, suffix.index);
  }

  let hour: number;
  let minute = 0;
  const colon = /^(\d{1,2}):(\d{2})$/.exec(rest);
  const korean = /^(\d{1,2})\s*시(?:\s*(?:(\d{1,2})\s*분|(반)))?$/.exec(rest);
  const bare = /^(\d{1,2})$/.exec(rest);
  if (colon) {
    hour = Number(colon[1]);
    minute = Number(colon[2]);
  } else if (korean) {
    hour = Number(korean[1]);
    minute = korean[3] ? 30 : Number(korean[2] ?? 0);
  } else if (bare && meridiem) {
    hour = Number(bare[1]);
  } else {
    return undefined;
  }
  if (minute > 59) return undefined;
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    return undefined;
  }
  return hour * 60 + minute;
}

/** `"14:20"` → 860: minutes since midnight of a clock time as notes write it (`HH:MM`). */
export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** `860` → "14:20". */
export function formatClockTime(minutes: number): string {
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/**
 * Clock-time expressions inside a sentence, each then read by `parseClockTime`: `14:20`, `2:20pm`,
 * `3pm`, `오후 3시`, `15시 20분`, `2시 반`. "1시간" (an hour) and a bare number are not times.
 */
const CLOCK_IN_TEXT =
  /(?:(?:오전|오후|아침|저녁|새벽|밤)\s*)?\d{1,2}\s*시(?!간)(?:\s*(?:\d{1,2}\s*분|반))?|\d{1,2}:\d{2}(?:\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z]))?|(?:(?:오전|오후)\s*)?\d{1,2}:\d{2}|\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])/giu;

/** Minutes since midnight of the first clock time mentioned in `text`, if any. */
export function findClockTime(text: string): number | undefined {
  for (const match of clean(text.slice(0, 500)).matchAll(CLOCK_IN_TEXT)) {
    const minutes = parseClockTime(match[0]);
    if (minutes !== undefined) return minutes;
  }
  return undefined;
}
