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
  notRecorded: {
    ko: '노트에는 "{query}"에 답하는 내용이 적혀 있지 않습니다. 가까운 주제는 {topic}입니다.',
    en: 'The notes do not record the answer to "{query}". The closest topic they cover is {topic}.',
  },
  speakersUnnamed: {
    ko: '노트에는 "{session}" 세션의 연사가 적혀 있지 않습니다.',
    en: 'The notes do not say who presented "{session}".',
  },
  smallTalkGreeting: {
    ko: '안녕하세요! AWS Summit Seoul 2023 노트에 대해 한국어나 영어로 물어보세요.',
    en: 'Hi! Ask me anything about the AWS Summit Seoul 2023 notes, in English or Korean.',
  },
  smallTalkThanks: { ko: '천만에요! 더 궁금한 게 있으면 언제든 물어보세요.', en: 'You are welcome! Ask again any time.' },
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
  requiredOption: { ko: '꼭 입력해야 합니다: {key}', en: 'Required: {key}' },
  helpTitle: { ko: '쓸 수 있는 명령', en: 'Commands' },
  helpFooter: {
    ko: '`/help <명령>`으로 자세한 사용법을 볼 수 있습니다. 명령 없이 질문만 써도 됩니다.',
    en: 'Use `/help <command>` for details. You can also just type a question.',
  },
  notesUnavailable: {
    ko: '노트가 아직 준비되지 않았습니다. 관리자에게 knowledge/ 폴더를 확인해 달라고 해 주세요.',
    en: 'The notes are not available right now. Ask an admin to check the knowledge/ folder.',
  },
  // A note skipped because its file has an error (src/core/commands/unavailable.ts).
  noteUnavailable: {
    ko: '"{name}" 노트는 지금 잠시 쓸 수 없습니다. {where}에 오류가 있습니다: {problem}',
    en: 'The note "{name}" is temporarily unavailable: {where} has an error: {problem}',
  },
  sessionUnavailable: {
    ko: 'Day {day} Session {slot} 노트는 지금 잠시 쓸 수 없습니다. {where}에 오류가 있습니다: {problem}',
    en: 'The note for Day {day} Session {slot} is temporarily unavailable: {where} has an error: {problem}',
  },
  unavailableUntilFixed: { ko: '파일을 고치면 바로 다시 볼 수 있습니다.', en: 'It is back as soon as the file is fixed.' },
  unavailableShort: { ko: '지금 잠시 쓸 수 없음', en: 'temporarily unavailable' },
  notesUnavailableMayAnswer: {
    ko: '지금 잠시 쓸 수 없는 노트가 있어, 답이 그 안에 있을 수도 있습니다: {notes}',
    en: 'Some notes are temporarily unavailable, and the answer may be in one of them: {notes}',
  },
  // --- /session ---
  sessionScheduleTitle: { ko: 'Day {day} 세션 일정', en: 'Day {day} sessions' },
  sessionScheduleHint: {
    ko: '`/session 3`처럼 번호로, `/session 14:20`처럼 시간으로, 또는 발표자·회사·키워드로 세션 기록을 자세히 볼 수 있습니다.',
    en: 'See a session in full by number (`/session 3`), time (`/session 14:20`), speaker, company or keyword.',
  },
  sessionDay: { ko: '일자', en: 'Day' },
  sessionTime: { ko: '시간', en: 'Time' },
  sessionSlot: { ko: '순서', en: 'Slot' },
  sessionSpeakers: { ko: '발표자', en: 'Speakers' },
  sessionAttendance: { ko: '참석 여부', en: 'Attendance' },
  sessionAttended: { ko: '✅ 참석함', en: '✅ Attended' },
  sessionNotAttended: { ko: '❌ 참석하지 못함', en: '❌ Not attended' },
  sessionNoSpeakers: { ko: '발표자 기록 없음', en: 'Speakers not recorded' },
  sessionAbstract: { ko: '소개', en: 'About' },
  sessionOutline: { ko: '목차', en: 'Outline' },
  sessionTakeaways: { ko: '핵심 내용', en: 'Key takeaways' },
  sessionRunningAt: { ko: '{time}에 진행 중인 세션입니다.', en: 'This session is running at {time}.' },
  sessionNextAfter: {
    ko: '{time}에 진행 중인 세션이 없어, 그다음 세션({start} 시작)을 보여 드립니다.',
    en: 'No session is running at {time}; here is the next one (starts {start}).',
  },
  sessionNoneAfter: { ko: 'Day {day}에는 {time} 이후에 시작하는 세션이 없습니다.', en: 'No session starts after {time} on Day {day}.' },
  sessionSlotNotFound: { ko: 'Session {slot}: Day {day}에 없는 세션 번호입니다.', en: 'There is no Session {slot} on Day {day}.' },
  sessionNotFound: { ko: '"{query}"에 맞는 세션을 찾지 못했습니다.', en: 'No session matches "{query}".' },
  sessionClosest: { ko: '이 세션들 중에 있을까요', en: 'Maybe one of these' },
  sessionAmbiguous: {
    ko: '"{query}"에 해당하는 세션이 여러 개입니다. 하나를 골라 주세요.',
    en: 'Several sessions match "{query}". Pick one:',
  },
  sessionPickHint: { ko: '번호로 고르세요: {examples}', en: 'Pick one by number: {examples}' },
  sessionNone: { ko: '노트에 세션 기록이 없습니다.', en: 'There are no session notes.' },
  sessionDetails: { ko: '세션 {slot} 자세히', en: 'Session {slot} details' },
  // --- /dr ---
  drTableTitle: { ko: '재해복구 전략 {count}가지 (저렴한 순)', en: '{count} disaster recovery strategies (cheapest first)' },
  drRto: { ko: 'RTO (복구 시간)', en: 'RTO (time to recover)' },
  drRpo: { ko: 'RPO (데이터 손실)', en: 'RPO (data loss)' },
  drCost: { ko: '상대 비용', en: 'Relative cost' },
  drIdle: { ko: '복구 리전에서 평소 돌아가는 것', en: 'Running idle in the recovery region' },
  drWhen: { ko: '세션이 권하는 경우', en: 'When the session recommends it' },
  drFigures: { ko: '수치 출처: {text}', en: 'Where the figures come from: {text}' },
  drAdvisorHint: {
    ko: '목표에 맞는 전략 추천: `{example}` (rto·rpo 모두 지정)',
    en: 'Get a recommendation for your targets: `{example}` (give both rto and rpo)',
  },
  drRecommend: { ko: '추천: {name}', en: 'Recommended: {name}' },
  drWhy: {
    ko: '목표 RTO {rto}, RPO {rpo}: 두 목표를 모두 만족하는 전략 가운데 가장 저렴합니다.',
    en: 'The cheapest strategy that meets both targets, RTO {rto} and RPO {rpo}.',
  },
  drTypicalVsTarget: { ko: '약 {typical} ≤ 목표 {target} ({label})', en: 'about {typical} ≤ target {target} ({label})' },
  drTypical: { ko: '약 {typical} ({label})', en: 'about {typical} ({label})' },
  drCheaperMisses: { ko: '한 단계 저렴한 전략이 못 미치는 점', en: 'What the next cheaper strategy misses' },
  drMissRto: { ko: 'RTO 약 {typical} — 목표 {target}보다 {over} 깁니다', en: 'RTO about {typical}, {over} over the {target} target' },
  drMissRpo: { ko: 'RPO 약 {typical} — 목표 {target}보다 {over} 깁니다', en: 'RPO about {typical}, {over} over the {target} target' },
  drAlreadyCheapest: { ko: '이미 가장 저렴한 전략입니다.', en: 'This is already the cheapest strategy.' },
  drServices: { ko: '함께 쓸 만한 AWS 서비스 (노트 기준)', en: 'AWS services that go with it (from the notes)' },
  drNoneMeets: {
    ko: '목표 RTO {rto}, RPO {rpo}: 두 목표를 모두 만족하는 전략이 노트에 없습니다.',
    en: 'No strategy in the notes meets both RTO {rto} and RPO {rpo}.',
  },
  drFastest: { ko: '가장 빠른 전략은 {name}입니다.', en: 'The fastest strategy is {name}.' },
  drApproximate: {
    ko: '전략별 RTO·RPO는 대략적인 값입니다. 출처는 `/dr`에서 볼 수 있습니다.',
    en: 'The strategies’ RTO/RPO figures are approximate; `/dr` shows where they come from.',
  },
  drNeedBoth: {
    ko: 'rto와 rpo를 함께 지정해 주세요 ({missing} 값이 없습니다). 예: `{example}`',
    en: 'Give both rto and rpo ({missing} is missing), e.g. `{example}`',
  },
  drBadDuration: {
    ko: '{key} 값 "{value}"을(를) 기간으로 읽을 수 없습니다. 0 이상 365일 이하로 적어 주세요 (예: 4h, 30m, 1d, 4시간). 예: `{example}`',
    en: 'Cannot read {key}="{value}" as a duration. Use 0 up to 365 days (e.g. 4h, 30m, 1d). Example: `{example}`',
  },
  drUnavailable: {
    ko: '재해복구 전략 노트(dr-strategies)를 불러오지 못했습니다.',
    en: 'The disaster recovery strategies note (dr-strategies) is not available.',
  },
  // --- /tip ---
  tipToday: { ko: '오늘의 팁', en: 'Tip of the day' },
  tipRandom: { ko: '랜덤 팁', en: 'Random tip' },
  tipForTopic: { ko: '"{topic}" 관련 팁', en: 'Tip about "{topic}"' },
  tipNoMatch: {
    ko: '"{topic}"에 맞는 팁을 찾지 못해 오늘의 팁을 보여 드립니다.',
    en: 'No tip matched "{topic}", so here is today’s tip.',
  },
  tipMore: {
    ko: '다른 팁: `/tip random` · `/tip <주제>` (예: `/tip 그래비톤`)',
    en: 'More: `/tip random` · `/tip <topic>` (e.g. `/tip graviton`)',
  },
  tipNone: { ko: '노트에 팁이 없습니다.', en: 'There are no tips in the notes.' },
  // Daily tip subscriptions (src/core/commands/tip-subscription.ts, src/core/tips/scheduler.ts).
  tipOfTheDay: { ko: '오늘의 써밋 팁', en: 'Tip of the day' },
  tipSubscriptionsUnavailable: {
    ko: '매일 팁 구독은 데이터 저장소가 있어야 쓸 수 있는데, 이 봇에는 설정되어 있지 않습니다. 관리자에게 DATA_DIR 설정을 확인해 달라고 해 주세요.',
    en: 'Daily tip subscriptions need a data store, and this bot has none configured. Ask an admin to check DATA_DIR.',
  },
  tipSubscribedDaily: { ko: '이 채널에 매일 써밋 팁을 보내 드릴게요.', en: 'This channel will get a summit tip every day.' },
  tipSubscribedWeekdays: {
    ko: '이 채널에 평일(월–금)마다 써밋 팁을 보내 드릴게요.',
    en: 'This channel will get a summit tip every weekday (Mon–Fri).',
  },
  tipJoinedChannel: { ko: '팁을 보내려고 이 채널에 참여했습니다.', en: 'I joined this channel so I can post the tips.' },
  // Why a subscription was refused (the platform says the bot cannot post there); see PostRefusal.
  tipCannotPostInvite: {
    ko: '이 채널에 봇이 없어 팁을 보낼 수 없습니다. `/invite @{bot}`으로 먼저 초대한 뒤 `/tip subscribe`를 다시 입력해 주세요.',
    en: 'I am not in this channel, so I cannot post tips here. Invite me with `/invite @{bot}`, then run `/tip subscribe` again.',
  },
  tipCannotPostNotFound: {
    ko: '봇이 이 대화를 볼 수 없어 팁을 보낼 수 없습니다. 비공개 채널이면 `/invite @{bot}`으로 먼저 초대해 주세요. 다른 사람들끼리의 DM에는 보낼 수 없습니다.',
    en: 'I cannot see this conversation, so I cannot post tips here. In a private channel, invite me first with `/invite @{bot}`; I cannot post in direct messages between other people.',
  },
  tipCannotPostPermissions: {
    ko: '이 채널에서 봇에게 필요한 권한이 없습니다: {missing}. 서버 관리자에게 채널 권한을 확인해 달라고 한 뒤 `/tip subscribe`를 다시 입력해 주세요.',
    en: 'I lack permissions I need in this channel: {missing}. Ask a server admin to check the channel’s permissions, then run `/tip subscribe` again.',
  },
  tipCannotPostArchived: { ko: '보관된 채널에는 팁을 보낼 수 없습니다.', en: 'This channel is archived, so I cannot post tips here.' },
  tipCannotPostAccess: {
    ko: '앱에 필요한 권한이 없어 이 채널을 확인할 수 없습니다 ({detail}). 관리자에게 앱을 다시 설치해 달라고 해 주세요.',
    en: 'The app lacks a permission it needs to check this channel ({detail}). Ask an admin to reinstall the app.',
  },
  tipCannotPostUnavailable: {
    ko: '지금은 이 채널에 팁을 보낼 수 있는지 확인하지 못했습니다. 잠시 후 다시 시도해 주세요.',
    en: 'I could not check whether I can post here just now. Please try again in a moment.',
  },
  permissionView: { ko: '채널 보기', en: 'View Channel' },
  permissionSend: { ko: '메시지 보내기', en: 'Send Messages' },
  permissionSendInThreads: { ko: '스레드에서 메시지 보내기', en: 'Send Messages in Threads' },
  permissionEmbed: { ko: '링크 첨부', en: 'Embed Links' },
  tipScheduleTitle: { ko: '매일 팁 일정', en: 'Daily tip schedule' },
  tipScheduleTime: { ko: '시각', en: 'Time' },
  tipScheduleZone: { ko: '시간대', en: 'Time zone' },
  tipScheduleDays: { ko: '요일', en: 'Days' },
  tipScheduleEveryDay: { ko: '매일', en: 'Every day' },
  tipScheduleWeekdays: { ko: '평일 (월–금)', en: 'Weekdays (Mon–Fri)' },
  tipScheduleNext: { ko: '다음 게시', en: 'Next post' },
  tipScheduleToday: { ko: '오늘', en: 'today' },
  tipScheduleTomorrow: { ko: '내일', en: 'tomorrow' },
  tipSchedulePaused: { ko: '게시가 멈춰 있습니다: {reason}', en: 'Posting is paused: {reason}' },
  tipResumeHint: {
    ko: '문제를 해결한 뒤 `/tip subscribe`를 다시 입력하면 재개됩니다.',
    en: 'Fix the problem, then run `/tip subscribe` again to resume.',
  },
  tipUnsubscribeHint: { ko: '그만 받으려면 `/tip unsubscribe`를 입력하세요.', en: 'To stop, use `/tip unsubscribe`.' },
  tipUnsubscribed: { ko: '이 채널의 매일 팁 구독을 해지했습니다.', en: 'Daily tips are turned off for this channel.' },
  tipNotSubscribed: { ko: '이 채널은 매일 팁을 구독하고 있지 않습니다.', en: 'This channel does not get daily tips.' },
  tipSubscribeHint: {
    ko: '구독하려면 `/tip subscribe 09:00`처럼 입력하세요. 시간대(`Asia/Seoul`)와 `weekdays`(평일만)를 붙일 수 있습니다.',
    en: 'To subscribe, use e.g. `/tip subscribe 09:00`; you can add a time zone (`Asia/Seoul`) and `weekdays`.',
  },
  tipBadTime: { ko: '올바른 시각이 아닙니다: {value}', en: 'Not a valid time: {value}' },
  tipBadTimeHint: {
    ko: '24시간제 HH:MM으로 적어 주세요. 예: `/tip subscribe 09:00`, `/tip subscribe 21:30 Asia/Seoul`',
    en: 'Write the time as HH:MM on a 24-hour clock, e.g. `/tip subscribe 09:00` or `/tip subscribe 21:30 Asia/Seoul`.',
  },
  tipBadZone: { ko: '알 수 없는 시간대입니다: {value}', en: 'Unknown time zone: {value}' },
  tipBadZoneHint: {
    ko: 'IANA 시간대 이름을 써 주세요. 예: `/tip subscribe 09:00 Asia/Seoul` (또는 America/New_York, Europe/London)',
    en: 'Use an IANA time zone name, e.g. `/tip subscribe 09:00 Asia/Seoul` (or America/New_York, Europe/London).',
  },
  tipBadSubscribeArgs: { ko: '이해하지 못한 부분이 있습니다: {value}', en: 'I did not understand: {value}' },
  // Home surfaces (Slack App Home) and starter prompts (Slack's assistant pane).
  homeIntro: {
    ko: '안녕하세요! AWS Summit Seoul 2023 노트로 답하는 봇입니다. 메시지 탭이나 어시스턴트 창에서 물어보거나, 아무 채널에서나 아래 명령을 써 보세요.',
    en: 'Hi! I answer from the AWS Summit Seoul 2023 notes. Ask me in the Messages tab or the assistant pane, or use the commands below in any channel.',
  },
  homeSubscriptionsTitle: { ko: '매일 팁을 받는 채널', en: 'Channels that get the daily tip' },
  homeNoSubscriptions: {
    ko: '아직 매일 팁을 받는 채널이 없습니다. 채널에서 `/tip subscribe 09:00`을 입력해 보세요.',
    en: 'No channel gets the daily tip yet. Try `/tip subscribe 09:00` in a channel.',
  },
  homeMoreSubscriptions: { ko: '외 {count}개 채널', en: 'and {count} more' },
  promptsTitle: { ko: '무엇이 궁금하세요?', en: 'What would you like to know?' },
  promptDr: { ko: '재해복구 전략 비교', en: 'Compare the DR strategies' },
  promptDrAdvisor: { ko: 'RTO 4시간, RPO 15분이면 어떤 전략?', en: 'Which strategy for RTO 4h, RPO 15m?' },
  tipSubscribeUsage: {
    ko: '사용법: `/tip subscribe [HH:MM] [시간대] [weekdays]`',
    en: 'Usage: `/tip subscribe [HH:MM] [time zone] [weekdays]`',
  },
  // --- feedback on answers (src/core/commands/feedback.ts) ---
  feedbackGood: { ko: '👍 도움이 됐어요', en: '👍 Helpful' },
  feedbackBad: { ko: '👎 아쉬워요', en: '👎 Not helpful' },
  feedbackRecordedGood: { ko: '👍 고맙습니다! 이 답변이 도움이 됐다고 기록했습니다.', en: '👍 Thanks! Noted that this answer helped.' },
  feedbackRecordedBad: {
    ko: '👎 알려 주셔서 고맙습니다. 노트 작성자가 지식 공백 보고서에서 이 질문을 보고 노트를 보완합니다.',
    en: '👎 Thanks for telling us. The note authors see this question in the knowledge-gaps report and improve the notes.',
  },
  feedbackChanged: { ko: '평가를 {vote}(으)로 바꿨습니다.', en: 'Changed your rating to {vote}.' },
  feedbackUnchanged: { ko: '이미 이 답변을 {vote}(으)로 평가하셨습니다. 다른 버튼을 누르면 바뀝니다.', en: 'You already rated this answer {vote}; the other button changes it.' },
  feedbackQuestion: { ko: '질문: {question}', en: 'Question: {question}' },
  feedbackUnknown: {
    ko: '평가할 답변을 찾지 못했습니다. 답변이 너무 오래됐거나, 이 대화에서 받은 답변이 아직 없습니다.',
    en: 'I cannot find an answer to rate: it is too old, or you have had no answer in this conversation yet.',
  },
  feedbackUnknownHint: { ko: '`/ask`로 질문한 뒤 `/feedback good` 또는 `/feedback bad`로 평가해 주세요.', en: 'Ask with `/ask`, then rate the answer with `/feedback good` or `/feedback bad`.' },
  feedbackAlreadyRefused: {
    ko: '방금 질문에는 답하지 못했고, 그 질문은 이미 노트 작성자에게 전달되도록 기록되었습니다.',
    en: 'I could not answer your last question, and it is already recorded for the note authors.',
  },
  feedbackOff: { ko: '이 봇은 피드백을 기록하지 않도록 설정되어 있습니다 (FEEDBACK=off).', en: 'This bot is set not to record feedback (FEEDBACK=off).' },
  feedbackBadVote: {
    ko: '"{value}"은(는) 평가로 읽을 수 없습니다. `/feedback good` 또는 `/feedback bad`로 적어 주세요.',
    en: 'Cannot read "{value}" as a rating. Use `/feedback good` or `/feedback bad`.',
  },
  helpFeedback: {
    ko: '답변 아래의 👍/👎 버튼(터미널에서는 `/feedback good` 또는 `/feedback bad`)으로 답이 도움이 됐는지 알려 주세요. 👎를 받은 질문과 답하지 못한 질문은 노트 작성자에게 전달됩니다.',
    en: 'Rate an answer with the 👍/👎 buttons under it (in the terminal: `/feedback good` or `/feedback bad`). Questions rated 👎 and questions I could not answer go to the note authors.',
  },
} satisfies Record<string, Localized>;

export type UiKey = keyof typeof ui;

/** A UI string in the given locale with `{name}` placeholders filled. */
export function t(key: UiKey, locale: Locale, values: Record<string, string | number> = {}): string {
  return format(ui[key][locale], values);
}

/**
 * A usage line with every `<한국어 | English>` (or `[한국어 | English]`) placeholder reduced to the locale's
 * words: `/tip <주제 | topic>` → `/tip <topic>`.
 */
export function localizeUsage(line: string, locale: Locale): string {
  return line.replace(/([<[])([^<>[\]|]+?) \| ([^<>[\]|]+?)([>\]])/g, (_whole, open: string, ko: string, en: string, close: string) => `${open}${locale === 'ko' ? ko : en}${close}`);
}

export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
