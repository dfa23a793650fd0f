/**
 * Wall-clock math in IANA time zones, with nothing but `Intl`.
 *
 * A daily post is written as a local time (`09:00`) in a zone (`America/New_York`). Turning that into an
 * instant has two awkward days a year where daylight saving time changes:
 * - spring forward: a local time inside the gap does not exist; we post at the first instant after the gap
 *   (02:30 on 2026-03-08 in New York → 03:00 EDT);
 * - fall back: a local time inside the overlap happens twice; we post once, at the first (01:30 EDT).
 */

/** `YYYY-MM-DD`, a calendar date in some zone. */
export type LocalDate = string;

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date | number, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    // Some ICU versions still print midnight as 24 with h23; normalise.
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== undefined;
}

/**
 * The zone name to store: `asia/seoul` → `Asia/Seoul`. Aliases stay as typed (`US/Eastern`), because
 * some runtimes resolve them surprisingly (`EST` → `America/Panama`). Undefined for unknown zones.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  const trimmed = zone.trim();
  if (trimmed === '' || trimmed.length > 64) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === trimmed.toLowerCase() ? resolved : trimmed;
  } catch {
    return undefined;
  }
}

/** `9:00` or `09:00` → `09:00`; anything else (including `24:00`, `9:5`) → undefined. */
export function normalizeTime(time: string): string | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return undefined;
  return `${pad(hour)}:${pad(minute)}`;
}

/** The calendar date of `instant` in `zone`, `YYYY-MM-DD`. */
export function localDate(instant: Date | number, zone: string): LocalDate {
  const w = wallClock(instant, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The wall-clock time of `instant` in `zone`, `HH:MM`. */
export function localTime(instant: Date | number, zone: string): string {
  const w = wallClock(instant, zone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

function parseDate(date: LocalDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** 0 = Sunday … 6 = Saturday, of a calendar date. */
export function dayOfWeek(date: LocalDate): number {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** Monday to Friday. */
export function isWeekday(date: LocalDate): boolean {
  const dow = dayOfWeek(date);
  return dow >= 1 && dow <= 5;
}

/** `2026-02-28` + 1 → `2026-03-01`. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseDate(date);
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The zone's offset from UTC at `instant`, in milliseconds (east positive), to the minute. */
function offsetAt(instant: number, zone: string): number {
  const w = wallClock(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / MINUTE) * MINUTE;
}

/**
 * The instant when the wall clock in `zone` shows `date` `time`. In a spring-forward gap: the first
 * instant after the gap. In a fall-back overlap: the earlier of the two.
 */
export function zonedInstant(date: LocalDate, time: string, zone: string): Date {
  const { year, month, day } = parseDate(date);
  const normal = normalizeTime(time);
  if (!normal) throw new RangeError(`not a HH:MM time: ${time}`);
  const [hour, minute] = normal.split(':').map(Number) as [number, number];
  // The wall time read as if it were UTC; the real instant is this minus the zone offset then.
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const wanted = `${date} ${normal}`;
  const shows = (instant: number) => `${localDate(instant, zone)} ${localTime(instant, zone)}`;

  // Offsets in force around that day; transitions are months apart, so a day either side covers both.
  const offsets = new Set([offsetAt(wall - DAY, zone), offsetAt(wall, zone), offsetAt(wall + DAY, zone)]);
  const candidates = [...offsets].map((offset) => wall - offset).sort((a, b) => a - b);
  const exact = candidates.find((instant) => shows(instant) === wanted);
  if (exact !== undefined) return new Date(exact);

  // The time falls in a gap: find the first minute whose wall clock is past it (the clock jumps over it).
  let lo = candidates[0]!;
  let hi = candidates[candidates.length - 1]!;
  if (!(shows(lo) < wanted && shows(hi) > wanted)) {
    throw new RangeError(`cannot place ${wanted} in ${zone}`);
  }
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (shows(mid) > wanted) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** A daily posting rule. */
export interface DailySchedule {
  /** `HH:MM` local time. */
  time: string;
  timeZone: string;
  weekdaysOnly: boolean;
  /** When the rule was set: occurrences at or before it are not owed (subscribing at 10:00 for 09:00 starts tomorrow). */
  since?: Date;
}

/** The post instant on `date`, or undefined when the rule skips that day (weekends, weekdays only). */
export function occurrenceOn(date: LocalDate, schedule: Pick<DailySchedule, 'time' | 'timeZone' | 'weekdaysOnly'>): Date | undefined {
  if (schedule.weekdaysOnly && !isWeekday(date)) return undefined;
  return zonedInstant(date, schedule.time, schedule.timeZone);
}

/** The first post instant strictly after `after`. */
export function nextOccurrence(after: Date, time: string, zone: string, weekdaysOnly: boolean): Date {
  const start = localDate(after, zone);
  // Start a day early: near midnight the zone's date may lag the occurrence we want.
  for (let i = -1; i <= 8; i++) {
    const at = occurrenceOn(addDays(start, i), { time, timeZone: zone, weekdaysOnly });
    if (at && at.getTime() > after.getTime()) return at;
  }
  throw new RangeError(`no occurrence of ${time} in ${zone} within a week of ${after.toISOString()}`);
}

/**
 * Today's post for `schedule` if it is due at `now`: the rule posts today, its time has come, and it
 * was not set after that time. The date is the zone's current date.
 */
export function dueToday(schedule: DailySchedule, now: Date): { date: LocalDate; at: Date } | undefined {
  const date = localDate(now, schedule.timeZone);
  const at = occurrenceOn(date, schedule);
  if (!at || at.getTime() > now.getTime()) return undefined;
  if (schedule.since && at.getTime() <= schedule.since.getTime()) return undefined;
  return { date, at };
}

/**
 * When the next post goes out: today's due-but-not-yet-done post (its scheduled instant, possibly just
 * past), else the next occurrence after `now` whose day is not already done. `done(date)` says whether
 * that local day's post is settled (posted, or given up).
 */
export function nextPostTime(schedule: DailySchedule, now: Date, done: (date: LocalDate) => boolean): Date {
  const due = dueToday(schedule, now);
  if (due && !done(due.date)) return due.at;
  let after = now;
  for (let i = 0; i < 16; i++) {
    const at = nextOccurrence(after, schedule.time, schedule.timeZone, schedule.weekdaysOnly);
    if (!done(localDate(at, schedule.timeZone))) return at;
    after = at;
  }
  return nextOccurrence(after, schedule.time, schedule.timeZone, schedule.weekdaysOnly);
}
