import fc from 'fast-check';

/**
 * Text no one would type on purpose, and text someone types to cause trouble: Slack and Discord mention
 * markup, broadcast words, HTML entities, bidi controls, lone surrogates, emoji sequences, control characters,
 * odd spaces, chat markdown, questions about the notes and prototype keys.
 */
export const SPECIAL: readonly string[] = [
  // Mentions, channel links, URLs and broadcast words, raw and as entities.
  '<!channel>', '<!here>', '<!everyone>', '<!subteam^S1>', '<@U123>', '<@W42|bob>', '<#C1>', '<#C1|general>', '<#C1|x>',
  '<https://evil.example|click>', '@everyone', '@here', '@channel', '@Everyone', '@HERE', '＠everyone', '@everyone가', '@@here',
  '<@&123>', '<@!123>', '&lt;', '&lt;!channel&gt;', '&amp;', '&', '&a', '<', '>',
  // Bidi controls, lone surrogates, emoji sequences, scripts.
  '\u202E', '\u200F', '\u202A', '\u2066', '\u2069', '\u202E\u200F역방향', '\uD800', '\uDFFF', '\uDBFF', '\uDC00',
  '👩‍👩‍👧‍👦', '🏳️‍🌈', '👩‍👩‍👧‍👦🏳️‍🌈', '👍🏽', '🇰🇷', 'ＡＷＳ　재해복구', 'ＡＷＳ 재해복구를', '한국어 mixed Latin', 'مرحبا',
  // Control characters and odd whitespace.
  '\u0000', '\u0007', '\u001b[31m', '\u0000\u0007\u001b[31m', '\u001b]8;;http://x\u0007', '\u009b', '\r\n', '\r', '\t', '\u00A0',
  '\u2028', '\uFEFF',
  // Chat markdown.
  '*bold*', '_it_', '~~s~~', '`code`', '```', '||spoiler||', '> quote', '# heading', '[link](https://x.example)',
  // Questions about the notes.
  'RPO가 뭐야', 'DR전략을', 'DR전략을 알려줘', 'Pilot Light', 'Pilot Light 비용', 'warm standby', '누가 발표했어', 'who presented',
  // Keys every object has.
  'constructor', '__proto__', 'toString', 'hasOwnProperty',
];

/** Commands, subcommands, options and their values, good and bad, as someone types them. */
export const COMMAND_WORDS: readonly string[] = [
  '/', '//', '/ask', '/ASK', '/dr', '/tip', '=', '==',
  'public=true', 'public=no', 'public=maybe', 'public=', 'PUBLIC=On', 'PUBLIC=yes', 'rto=4h', 'rpo=15m', 'rto=0', 'rpo=1h30m', 'rto=4시간',
  'rpo=30분', 'rto=-1h', 'rto=1e309h', 'rpo=99999999999999999999d', 'rto=NaN', 'rto=１２h', 'rto=', 'rpo=4h4h', 'rto=1.5.5h', 'question=x',
  'query=y', 'topic=z',
  'random', '랜덤', 'today', '오늘', 'subscribe', '구독', 'unsubscribe', '구독취소', 'schedule', '구독정보', '09:00', '9pm', '오후 9시', '25:00',
  '9:5', '13pm', '24:00', '00:00', 'Asia/Seoul', 'America/New_York', 'UTC', 'Mars/Olympus', 'Etc/GMT+14', 'weekdays', 'weekdays=yes',
  'weekdays=perhaps', '평일', 'daily', '매일', 'day=1', 'day=3', 'track=1', '14:20', 'Day 1', 'Day 2', 'ask', 'dr', 'session', 'tip', 'help',
];

/** Words of the notes, stop words, and characters that mean something to a tokenizer or a regex. */
export const SEARCH_WORDS: readonly string[] = [
  'ＲＰＯ', '재해 복구', 'multi-site', 'migrat', 'Aurora', 'who', '누가', '발표자', '가', '이', '을', 'the', 'a',
  '*', '?', '(', ')', '[', '\\', '^', '$', '.*', '+', '|', '{1,2}',
];

/** The separators between fragments unless a file asks for others. */
export const SEPARATORS: readonly string[] = [' ', '', '\n', '  ', '\t'];

export interface TextOptions {
  /** Drawn along with SPECIAL, e.g. COMMAND_WORDS. */
  words?: readonly string[];
  /** Weight of the special strings against the four kinds of random string (2, 2, 1, 1). */
  specialWeight?: number;
  /** Adds runs of Hangul syllables (weight 2), which the tokenizer splits and the speller corrects. */
  hangul?: boolean;
  /** What stands between fragments; a value listed twice is drawn twice as often. */
  separators?: readonly string[];
  /** At most this many fragments in a short text. */
  maxParts?: number;
  /** How the parts of a huge text are joined: by a space, or by a separator drawn once per text. */
  hugeJoin?: 'space' | 'separator';
  /** anyText draws short and huge text in the ratio shortWeight : hugeWeight. */
  shortWeight?: number;
  hugeWeight?: number;
}

export interface TextArbitraries {
  /** One special string or one random string (any code point, any UTF-16 unit, binary or graphemes). */
  fragment: fc.Arbitrary<string>;
  separator: fc.Arbitrary<string>;
  /** Up to maxParts fragments, each followed by a separator. */
  shortText: fc.Arbitrary<string>;
  /** 1,000 to 20,000 characters: a few fragments repeated. */
  hugeText: fc.Arbitrary<string>;
  /** Mostly short text, now and then huge text. */
  anyText: fc.Arbitrary<string>;
}

const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const hangulSyllable = fc.integer({ min: 0xac00, max: 0xd7a3 }).map((n) => String.fromCharCode(n));

/** The text generators every property file draws its input from. */
export function textArbitrary(options: TextOptions = {}): TextArbitraries {
  const {
    words = [],
    specialWeight = 3,
    hangul = false,
    separators = SEPARATORS,
    maxParts = 10,
    hugeJoin = 'space',
    shortWeight = 5,
    hugeWeight = 1,
  } = options;
  const fragment = fc.oneof(
    { weight: specialWeight, arbitrary: fc.constantFrom(...SPECIAL, ...words) },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
    ...(hangul ? [{ weight: 2, arbitrary: fc.string({ unit: hangulSyllable, minLength: 1, maxLength: 6 }) }] : []),
    { weight: 2, arbitrary: fc.string({ unit: utf16Unit, maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 15 }) },
  );
  const separator = fc.constantFrom(...separators);
  const shortText = fc
    .array(fc.tuple(fragment, separator), { maxLength: maxParts })
    .map((parts) => parts.map(([f, s]) => f + s).join(''));
  const hugeText = fc
    .tuple(fc.array(fragment, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1000, max: 20_000 }), hugeJoin === 'separator' ? separator : fc.constant(' '))
    .map(([parts, n, join]) => {
      const unit = `${parts.join(join)} `;
      return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    });
  const anyText = fc.oneof({ weight: shortWeight, arbitrary: shortText }, { weight: hugeWeight, arbitrary: hugeText });
  return { fragment, separator, shortText, hugeText, anyText };
}
