/** UI strings. Knowledge text stays as written; only the bot's own words are translated. */
export type Locale = 'ko' | 'en';
export const LOCALES: readonly Locale[] = ['ko', 'en'];

/** Text in both UI languages. */
export interface Localized {
  ko: string;
  en: string;
}

export const localize = (text: Localized, locale: Locale): string => text[locale];

export const ui = {
  unknownCommand: { ko: '알 수 없는 명령입니다: /{name}', en: 'Unknown command: /{name}' },
  seeHelp: { ko: '`/help`로 쓸 수 있는 명령을 확인하세요.', en: 'Try `/help` to see what I can do.' },
  usage: { ko: '사용법', en: 'Usage' },
  examples: { ko: '예시', en: 'Examples' },
  internalError: {
    ko: '요청을 처리하는 중 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.',
    en: 'Something went wrong while answering. Please try again in a moment.',
  },
  emptyQuestion: { ko: '질문을 입력해 주세요.', en: 'Please type a question.' },
  noGoodMatch: {
    ko: '"{query}"에 딱 맞는 내용을 노트에서 찾지 못했습니다.',
    en: 'I could not find a passage that answers "{query}".',
  },
  tryInstead: { ko: '이런 것은 어떨까요', en: 'You could try' },
  relatedNotes: { ko: '관련 노트', en: 'Related notes' },
  alsoRelevant: { ko: '함께 볼 만한 내용', en: 'Also relevant' },
  source: { ko: '출처', en: 'Source' },
  share: { ko: '채널에 공유', en: 'Share to channel' },
  more: { ko: '더 보기', en: 'Show more' },
  truncated: { ko: '(내용이 길어 일부만 표시했습니다)', en: '(shortened to fit)' },
  unknownOption: { ko: '알 수 없는 옵션입니다: {key}', en: 'Unknown option: {key}' },
  missingValue: { ko: '{key}에 값이 없습니다.', en: '{key} needs a value.' },
  badValue: { ko: '{key} 값이 올바르지 않습니다: {value}', en: 'Invalid value for {key}: {value}' },
  requiredOption: { ko: '{key} 값이 필요합니다.', en: '{key} is required.' },
  helpTitle: { ko: '쓸 수 있는 명령', en: 'Commands' },
  helpFooter: {
    ko: '`/help <명령>`으로 자세한 사용법을 볼 수 있습니다. 명령 없이 질문만 써도 됩니다.',
    en: 'Use `/help <command>` for details. You can also just type a question.',
  },
  notesUnavailable: {
    ko: '노트가 아직 준비되지 않았습니다. 관리자에게 knowledge/ 폴더를 확인해 달라고 해 주세요.',
    en: 'The notes are not available right now. Ask an admin to check the knowledge/ folder.',
  },
} satisfies Record<string, Localized>;

export type UiKey = keyof typeof ui;

/** A UI string in the given locale with `{name}` placeholders filled. */
export function t(key: UiKey, locale: Locale, values: Record<string, string | number> = {}): string {
  return format(ui[key][locale], values);
}

export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
