import { describe, expect, it } from 'vitest';
import { formatClockTime, formatDuration, MAX_DURATION_SECONDS, parseClockTime, parseDuration } from '../../src/core/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['30s', 30],
    ['15m', 900],
    ['4h', 14_400],
    ['1d', 86_400],
    ['1.5h', 5_400],
    ['1h30m', 5_400],
    ['1h 30m', 5_400],
    [' 4H ', 14_400],
    ['15M', 900],
    ['30 sec', 30],
    ['15 min', 900],
    ['15 mins', 900],
    ['4 hours', 14_400],
    ['1 hour', 3_600],
    ['1 day', 86_400],
    ['2 days', 172_800],
    ['30초', 30],
    ['15분', 900],
    ['4시간', 14_400],
    ['1일', 86_400],
    ['1시간 30분', 5_400],
    ['1시간30분', 5_400],
    ['365d', MAX_DURATION_SECONDS],
    ['24h', 86_400],
  ])('reads %j as %d seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each([
    '',
    '   ',
    '-5m',
    '-0.5h',
    '+5m',
    '5',
    '4x',
    'four hours',
    'h',
    '15mx',
    '1h1h',
    'abc',
    '🎉',
    '99999d',
    '366d',
    '1e3h',
    '4시',
    'x'.repeat(10_000),
  ])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('reads every duration written in the DR note format', () => {
    for (const value of ['0', '10m', '15m', '1h', '24h']) expect(parseDuration(value)).toBeGreaterThanOrEqual(0);
  });
});

describe('formatDuration', () => {
  it('writes Korean durations', () => {
    expect(formatDuration(14_400, 'ko')).toBe('4시간');
    expect(formatDuration(900, 'ko')).toBe('15분');
    expect(formatDuration(5_400, 'ko')).toBe('1시간 30분');
    expect(formatDuration(86_400, 'ko')).toBe('1일');
    expect(formatDuration(30, 'ko')).toBe('30초');
    expect(formatDuration(0, 'ko')).toBe('0');
  });

  it('writes English durations', () => {
    expect(formatDuration(14_400, 'en')).toBe('4 h');
    expect(formatDuration(900, 'en')).toBe('15 min');
    expect(formatDuration(5_400, 'en')).toBe('1 h 30 min');
    expect(formatDuration(0, 'en')).toBe('0');
  });

  it('round-trips with parseDuration', () => {
    for (const seconds of [30, 900, 3_600, 5_400, 86_400, 90_061]) {
      expect(parseDuration(formatDuration(seconds, 'ko'))).toBe(seconds);
    }
  });
});

describe('parseClockTime', () => {
  it.each([
    ['14:20', 14 * 60 + 20],
    ['09:05', 9 * 60 + 5],
    ['9:05', 9 * 60 + 5],
    ['2:20pm', 14 * 60 + 20],
    ['2:20 PM', 14 * 60 + 20],
    ['2pm', 14 * 60],
    ['2 p.m.', 14 * 60],
    ['12am', 0],
    ['12pm', 12 * 60],
    ['11am', 11 * 60],
    ['오후 2시', 14 * 60],
    ['오후 2시 20분', 14 * 60 + 20],
    ['오후2시20분', 14 * 60 + 20],
    ['오전 11시', 11 * 60],
    ['오후 2:20', 14 * 60 + 20],
    ['14시', 14 * 60],
    ['14시 20분', 14 * 60 + 20],
    ['2시 반', 2 * 60 + 30],
  ])('reads %j', (input, minutes) => {
    expect(parseClockTime(input)).toBe(minutes);
  });

  it.each(['', '14', '3', '25:00', '14:60', '13pm', '0am', '오후 13시', 'noon', '🎉', 'dr', '오후 2시 70분', 'x'.repeat(5000)])(
    'rejects %j',
    (input) => {
      expect(parseClockTime(input)).toBeUndefined();
    },
  );

  it('formats minutes back as HH:MM', () => {
    expect(formatClockTime(14 * 60 + 20)).toBe('14:20');
    expect(formatClockTime(5)).toBe('00:05');
  });
});
