/**
 * End to end, HTTP mode, with the daily-tip store wired as in the app: subscriptions that check the bot can
 * post, the App Home tab and its "details" modal, Slack's assistant pane, and a 200 for every request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../../src/adapters/slack/app.ts';
import { createBot } from '../../../src/core/bot.ts';
import { createCommands } from '../../../src/core/commands/index.ts';
import { systemClock } from '../../../src/core/ports.ts';
import { StoreSubscriptionService } from '../../../src/core/tips/subscription-service.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import {
  blockActionBody,
  eventCallbackBody,
  postSigned,
  slashCommandBody,
  startFakeSlackApi,
  viewProblems,
  type FakeSlackApi,
} from '../../doubles/fake-slack.ts';
import { shippedKnowledge } from '../../helpers.ts';
import { SIGNING_SECRET, capturingLogger, shown, sleep, startHttpAdapter, type CapturedLog } from './setup.ts';

const SECRET = SIGNING_SECRET;
const FORM = 'application/x-www-form-urlencoded';

let fake: FakeSlackApi;
let adapter: SlackAdapter;
let store: MemoryStore;
let url: string;
let logs: CapturedLog[];

beforeAll(async () => {
  fake = await startFakeSlackApi({ pingIntervalMs: 0 });
  store = new MemoryStore();
  // As in src/app.ts: /tip subscribe asks the running adapter's Poster before saving.
  const subscriptions = new StoreSubscriptionService(store, systemClock, (platform) => (platform === 'slack' ? adapter.poster : undefined));
  const bot = createBot({ commands: createCommands(), knowledge: shippedKnowledge, clock: systemClock, locale: 'ko', timeZone: 'Asia/Seoul', subscriptions });
  const captured = capturingLogger();
  logs = captured.lines;
  ({ adapter, url } = await startHttpAdapter(bot, fake.apiUrl, captured.logger, store));
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

beforeEach(() => fake.reset());

let eventSeq = 0;
const event = (ev: Record<string, unknown>) => postSigned(url, eventCallbackBody(ev, `EvSURF${++eventSeq}`), { contentType: 'application/json', secret: SECRET, timeoutMs: 5000 });
const click = (args: Parameters<typeof blockActionBody>[0]) => postSigned(url, blockActionBody(args), { contentType: FORM, secret: SECRET, timeoutMs: 5000 });

async function tipCommand(channel: string, text: string, responseId: string) {
  const res = await postSigned(url, slashCommandBody({ command: '/tip', text, channel_id: channel, response_url: fake.responseUrl(responseId) }), { contentType: FORM, secret: SECRET });
  expect(res.status).toBe(200);
  return fake.waitForResponse((p) => p.id === responseId, 3000);
}

interface ViewBlock {
  type: string;
  text?: { text: string };
  elements?: { action_id?: string; value?: string; text?: { text: string } }[];
}

describe('/tip subscribe checks the bot can post before saving', () => {
  it('a public channel without the bot: it joins, saves the subscription and says so; the tip can be posted there', async () => {
    fake.addChannel({ id: 'C0PUBLIC', name: 'public', isMember: false });
    const answer = await tipCommand('C0PUBLIC', 'subscribe 09:00', 'sub-public');
    expect(shown(answer.body)).toContain('팁을 보내려고 이 채널에 참여했습니다.');
    expect(shown(answer.body)).toContain('이 채널에 매일 써밋 팁을 보내 드릴게요.');
    expect(fake.callsTo('conversations.join')[0]?.body.channel).toBe('C0PUBLIC');
    expect(await store.getSubscription('slack:C0PUBLIC')).toMatchObject({ time: '09:00', timeZone: 'Asia/Seoul' });
    await adapter.poster.post('slack:C0PUBLIC', { blocks: [{ type: 'text', text: 'tip' }], visibility: 'public' });
    expect(fake.callsTo('chat.postMessage').at(-1)?.ok).toBe(true);
  });

  it('a private channel without the bot: refused with "/invite @summit-bot", nothing saved, nothing joined', async () => {
    fake.addChannel({ id: 'G0PRIVATE', name: 'private', isPrivate: true, isMember: false });
    const answer = await tipCommand('G0PRIVATE', 'subscribe weekdays 07:30', 'sub-private');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(shown(answer.body)).toContain('`/invite @summit-bot`으로 먼저 초대해 주세요');
    expect(await store.getSubscription('slack:G0PRIVATE')).toBeUndefined();
    expect(fake.callsTo('conversations.join')).toHaveLength(0);
  });

  it('a channel the bot is in: saved after one conversations.info; weekdays are called weekdays', async () => {
    const answer = await tipCommand('C0GENERAL', 'subscribe weekdays 07:30', 'sub-general');
    const text = shown(answer.body);
    expect(text).toContain('평일(월–금)마다');
    expect(text).not.toContain('매일');
    expect(fake.calls.map((c) => c.method)).toEqual(['conversations.info']);
    expect(await store.getSubscription('slack:C0GENERAL')).toMatchObject({ time: '07:30', weekdaysOnly: true });
  });
});

describe('App Home', () => {
  it('app_home_opened publishes a home view within Block Kit limits: tip, schedule with details, subscriptions (paused with why), help', async () => {
    await store.upsertSubscription({ target: 'slack:C0PAUSED', time: '08:00', timeZone: 'Asia/Seoul', weekdaysOnly: false }, new Date());
    await store.pauseSubscription('slack:C0PAUSED', 'slack: not_in_channel', new Date());
    const res = await event({ type: 'app_home_opened', user: 'U0HUMAN01', channel: 'D0HOME', tab: 'home' });
    expect(res.status).toBe(200);
    const call = await fake.waitForCall('views.publish', undefined, 3000);
    expect(call.ok).toBe(true);
    expect(call.body.user_id).toBe('U0HUMAN01');
    const view = call.body.view as { type: string; blocks: ViewBlock[] };
    expect(viewProblems(view, 'home')).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const visible = JSON.stringify(view.blocks);
    expect(visible).toContain('오늘의 팁');
    expect(visible).toContain('💡');
    expect(visible).toContain('Day 2 세션 일정');
    expect(visible).toContain('매일 팁을 받는 채널');
    const lines = view.blocks.map((b) => b.text?.text ?? '');
    expect(lines.find((l) => l.startsWith('<#C0PAUSED>'))).toMatch(/⏸ 게시가 멈춰 있습니다: slack: not_in_channel/);
    expect(lines.find((l) => l.startsWith('<#C0GENERAL>'))).toContain('평일 (월–금) 07:30 Asia/Seoul · 다음 게시: ');
    expect(visible).toContain('쓸 수 있는 명령');
    const details = view.blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
    expect(details.map((d) => d.value)).toEqual(shippedKnowledge().sessions.map((s) => `/session ${s.meta.slot}`));
    expect(details[0]?.text?.text).toBe('세션 1 자세히');
    // A view has no channel to share to.
    expect(visible).not.toContain('share_reply');
  });

  it('the Messages tab publishes nothing', async () => {
    await event({ type: 'app_home_opened', user: 'U0HUMAN01', channel: 'D0HOME', tab: 'messages' });
    await event({ type: 'app_home_opened', user: 'U0OTHER01', channel: 'D0HOME2', tab: 'home' });
    const published = await fake.waitForCall('views.publish', undefined, 3000);
    expect(published.body.user_id).toBe('U0OTHER01');
    await sleep(100);
    expect(fake.callsTo('views.publish')).toHaveLength(1);
  });

  it('stays within 100 blocks with many subscriptions: the rest are counted', async () => {
    for (let i = 0; i < 150; i++) await store.upsertSubscription({ target: `slack:C0MANY${String(i).padStart(3, '0')}`, time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false }, new Date());
    try {
      await event({ type: 'app_home_opened', user: 'U0HUMAN01', channel: 'D0HOME', tab: 'home' });
      const call = await fake.waitForCall('views.publish', undefined, 3000);
      expect(call.ok).toBe(true);
      const view = call.body.view as { blocks: ViewBlock[] };
      expect(view.blocks).toHaveLength(100);
      expect(JSON.stringify(view.blocks)).toMatch(/외 \d+개 채널/);
      expect(JSON.stringify(view.blocks)).toContain('쓸 수 있는 명령');
    } finally {
      for (let i = 0; i < 150; i++) await store.deleteSubscription(`slack:C0MANY${String(i).padStart(3, '0')}`);
    }
  });

  it('a "details" button opens the session in a modal; from a modal the next one is pushed', async () => {
    expect((await click({ actionId: 'more_reply', value: '/session 3', view: { type: 'home' } })).status).toBe(200);
    const opened = await fake.waitForCall('views.open', undefined, 3000);
    expect(opened.ok).toBe(true);
    const modal = opened.body.view as { type: string; title: { text: string }; blocks: ViewBlock[] };
    expect(viewProblems(modal, 'modal')).toEqual([]);
    expect(modal.title.text).toBe('자세히 보기');
    const session = shippedKnowledge().sessions.find((s) => s.meta.slot === 3)!;
    expect(JSON.stringify(modal.blocks)).toContain(session.meta.title);

    await click({ actionId: 'more_reply', value: '/session 1', view: { type: 'modal' } });
    const pushed = await fake.waitForCall('views.push', undefined, 3000);
    expect(pushed.ok).toBe(true);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('Slack’s assistant pane', () => {
  const thread = { channel: 'D0ASSIST', ts: '1729999327.187299' };

  it('a new assistant thread gets suggested prompts drawn from the notes', async () => {
    const res = await event({
      type: 'assistant_thread_started',
      assistant_thread: { user_id: 'U0HUMAN01', context: { channel_id: 'C0GENERAL', team_id: 'T0FAKETEAM', enterprise_id: null }, channel_id: thread.channel, thread_ts: thread.ts },
    });
    expect(res.status).toBe(200);
    const call = await fake.waitForCall('assistant.threads.setSuggestedPrompts', undefined, 3000);
    expect(call.ok).toBe(true);
    expect(call.body).toMatchObject({ channel_id: thread.channel, thread_ts: thread.ts, title: '무엇이 궁금하세요?' });
    const prompts = call.body.prompts as { title: string; message: string }[];
    expect(prompts.length).toBeGreaterThanOrEqual(3);
    expect(prompts).toContainEqual({ title: 'Day 2 세션 일정', message: '/session' });
    expect(prompts.some((p) => shippedKnowledge().sessions.some((s) => p.title.startsWith(s.meta.title.slice(0, 20))))).toBe(true);
    // The thread context is not used: no history is read for it.
    expect(fake.callsTo('conversations.replies')).toHaveLength(0);
  });

  it('a question in the thread: "searching…" status first, then the answer with its citation in the thread', async () => {
    await event({ type: 'message', channel: thread.channel, channel_type: 'im', user: 'U0HUMAN01', text: 'RPO가 뭐야', ts: '1729999400.000100', thread_ts: thread.ts });
    const answer = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    const status = fake.callsTo('assistant.threads.setStatus')[0];
    expect(status?.body).toMatchObject({ channel_id: thread.channel, thread_ts: thread.ts, status: '노트를 찾는 중…' });
    expect(status!.seq).toBeLessThan(answer.seq);
    expect(answer.body).toMatchObject({ channel: thread.channel, thread_ts: thread.ts });
    const blocks = answer.body.blocks as ViewBlock[];
    expect(JSON.stringify(blocks)).toContain('RPO');
    expect(blocks.some((b) => b.type === 'context' && JSON.stringify(b).includes('— '))).toBe(true);
  });

  it('a suggested prompt, sent back as the user’s message, is answered as the command it is', async () => {
    await event({ type: 'message', channel: thread.channel, channel_type: 'im', user: 'U0HUMAN01', text: '/dr rto=4h rpo=15m', ts: '1729999400.000200', thread_ts: thread.ts });
    const answer = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(shown(answer.body)).toContain('Pilot Light');
  });

  it('a workspace without the feature loses nothing: the status is refused, the answer still arrives', async () => {
    fake.failNext('assistant.threads.setStatus', { error: 'feature_not_enabled' });
    await event({ type: 'message', channel: 'D0PLAIN', channel_type: 'im', user: 'U0HUMAN01', text: '/session 3', ts: '1729999500.000100', thread_ts: '1729999000.000001' });
    const answer = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(answer.body.thread_ts).toBe('1729999000.000001');
    expect(logs.some((l) => l.msg === 'slack: assistant call refused')).toBe(true);
    // A top-level DM is answered as before, with no assistant call.
    fake.reset();
    await event({ type: 'message', channel: 'D0PLAIN', channel_type: 'im', user: 'U0HUMAN01', text: 'RTO가 뭐야', ts: '1729999600.000100' });
    const dm = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(dm.body.thread_ts).toBeUndefined();
    expect(fake.calls.filter((c) => c.method.startsWith('assistant.'))).toHaveLength(0);
  });
});
