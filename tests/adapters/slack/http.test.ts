/**
 * End to end, HTTP mode: real signed requests → our server → Bolt → the real bot over the shipped
 * notes → the fake Slack (Web API + response_url). Everything on 127.0.0.1, every wait bounded.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/app.ts';
import type { Bot } from '../../../src/core/bot.ts';
import { appRateLimitedBody, blockActionBody, eventCallbackBody, postSigned, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../../doubles/fake-slack.ts';
import { FAST_RETRY, SIGNING_SECRET, capturingLogger, realBot, shown, sleep, startHttpAdapter, type CapturedLog } from './setup.ts';
import { MemoryStore } from '../../../src/store/memory.ts';

const SECRET = SIGNING_SECRET;
const FORM = 'application/x-www-form-urlencoded';

let fake: FakeSlackApi;
let bot: Bot;
let adapter: SlackAdapter;
let url: string;
let logs: CapturedLog[];
let rawLogs: string[];

beforeAll(async () => {
  fake = await startFakeSlackApi({ pingIntervalMs: 0 });
  bot = realBot();
  const captured = capturingLogger();
  logs = captured.lines;
  rawLogs = captured.raw;
  ({ adapter, url } = await startHttpAdapter(bot, fake.apiUrl, captured.logger));
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

beforeEach(() => {
  fake.reset();
});

async function slash(command: string, text: string, responseId: string, extra: { timestamp?: number; secret?: string } = {}) {
  const body = slashCommandBody({ command, text, response_url: fake.responseUrl(responseId) });
  return postSigned(url, body, { contentType: FORM, secret: extra.secret ?? SECRET, timeoutMs: 5000, ...(extra.timestamp !== undefined ? { timestamp: extra.timestamp } : {}) });
}

async function event(ev: Record<string, unknown>, eventId: string, headers: Record<string, string> = {}) {
  return postSigned(url, eventCallbackBody(ev, eventId), { contentType: 'application/json', secret: SECRET, headers, timeoutMs: 5000 });
}

const nowSec = () => Math.floor(Date.now() / 1000);

describe('Slack adapter, HTTP mode', () => {
  it('binds the requested host on an ephemeral port and reports itself connected', () => {
    expect(adapter.mode).toBe('http');
    expect(adapter.port).toBeGreaterThan(0);
    expect(adapter.server?.address()).toMatchObject({ address: '127.0.0.1' });
    expect(adapter.isConnected()).toBe(true);
    expect(adapter.poster.platform).toBe('slack');
    // auth.test ran once, before Bolt was constructed
    expect(logs.some((l) => l.msg === 'slack: listening (HTTP mode)')).toBe(true);
  });

  it('/ask: 200 with an empty ack within 3 s, then the answer (ephemeral, with a share button) at the response_url', async () => {
    const res = await slash('/ask', 'RPO가 뭐야', 'ask-1');
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    expect(res.text).toBe('');
    const post = await fake.waitForResponse((p) => p.id === 'ask-1', 3000);
    expect(post.body.response_type).toBe('ephemeral');
    expect(shown(post.body)).toContain('RPO');
    const actions = (post.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions');
    expect(actions?.elements?.[0]).toMatchObject({ action_id: 'share_reply', value: '/ask RPO가 뭐야' });
  });

  it('answers an English question in English and a Korean one in Korean, by slash command and by mention', async () => {
    await slash('/ask', 'where do I pick up my badge', 'lang-en');
    const english = shown((await fake.waitForResponse((p) => p.id === 'lang-en', 3000)).body);
    expect(english).toContain('Hall B of COEX');
    expect(english.replace(/\([^)]*\)/g, '')).not.toMatch(/\p{Script=Hangul}/u);
    await slash('/ask', '배지는 어디서 받아?', 'lang-ko');
    expect(shown((await fake.waitForResponse((p) => p.id === 'lang-ko', 3000)).body)).toContain('코엑스 B홀');
    await event({ type: 'app_mention', user: 'U0HUMAN01', text: '<@U0FAKEBOT> what is pilot light', channel: 'C0GENERAL' }, 'EvLangEn');
    const mention = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(shown(mention.body)).toContain('A strategy that keeps replicating the data to the DR Region');
  });

  it('leads with the answering sentences and puts a long passage behind "more", which shows it whole', async () => {
    await slash('/ask', 'TANGO에서 클라우드로 옮기는 기능은?', 'lead-1');
    const post = await fake.waitForResponse((p) => p.id === 'lead-1', 3000);
    const actions = (post.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions');
    const more = actions?.elements?.find((e) => e.action_id === 'more_reply');
    expect(more?.value).toBe('/ask TANGO에서 클라우드로 옮기는 기능은? full=true');
    const click = blockActionBody({ actionId: 'more_reply', value: more?.value ?? '', responseUrl: fake.responseUrl('lead-more') });
    expect((await postSigned(url, click, { contentType: FORM, secret: SECRET })).status).toBe(200);
    const whole = shown((await fake.waitForResponse((p) => p.id === 'lead-more', 3000)).body);
    expect(whole.length).toBeGreaterThan(shown(post.body).length);
    expect(whole).toContain('Engineering');
    expect(whole).toContain('설계 및 구축');
  });

  it('/help lists every registered command', async () => {
    const res = await slash('/help', '', 'help-1');
    expect(res.status).toBe(200);
    const post = await fake.waitForResponse((p) => p.id === 'help-1', 3000);
    for (const command of bot.commands) expect(String(post.body.text)).toContain(`/${command.name}`);
  });

  it('every registered command is wired (no 404s, an answer for each)', async () => {
    for (const command of bot.commands) {
      const res = await slash(`/${command.name}`, '', `each-${command.name}`);
      expect(res.status, `/${command.name}`).toBe(200);
      await fake.waitForResponse((p) => p.id === `each-${command.name}`, 3000);
    }
  });

  it('public=true answers in the channel; an unknown command gets the "unknown command" answer', async () => {
    await slash('/ask', 'RPO가 뭐야 public=true', 'pub-1');
    const pub = await fake.waitForResponse((p) => p.id === 'pub-1', 3000);
    expect(pub.body.response_type).toBe('in_channel');
    expect(JSON.stringify(pub.body.blocks)).not.toContain('share_reply');

    const res = await slash('/nope', 'x', 'nope-1');
    expect(res.status).toBe(200);
    const unknown = await fake.waitForResponse((p) => p.id === 'nope-1', 3000);
    expect(String(unknown.body.text)).toContain('/nope');
  });

  it('rejects a wrong signature with 401 and answers nothing', async () => {
    const res = await slash('/ask', 'RPO', 'bad-sig', { secret: 'wrong-secret' });
    expect(res.status).toBe(401);
    await sleep(200);
    expect(fake.responses.filter((p) => p.id === 'bad-sig')).toHaveLength(0);
  });

  it('rejects a stale timestamp (10 minutes old) and a future one (10 minutes ahead); tolerates small skew', async () => {
    const stale = await slash('/ask', 'RPO', 'stale', { timestamp: nowSec() - 600 });
    expect(stale.status).toBe(401);
    const future = await slash('/ask', 'RPO', 'future', { timestamp: nowSec() + 600 });
    expect(future.status).toBe(401);
    expect(logs.some((l) => l.msg === 'slack: request rejected' && l.reason === 'request timestamp is in the future')).toBe(true);
    const skewed = await slash('/ask', 'RPO', 'skew', { timestamp: nowSec() + 60 });
    expect(skewed.status).toBe(200);
    await fake.waitForResponse((p) => p.id === 'skew', 3000);
    await sleep(100);
    expect(fake.responses.filter((p) => p.id === 'stale' || p.id === 'future')).toHaveLength(0);
  });

  it('answers an app_mention exactly once in its thread, even when Slack retries the delivery', async () => {
    const ev = { type: 'app_mention', user: 'U0HUMAN01', text: '<@U0FAKEBOT> RPO가 뭐야', channel: 'C0GENERAL', ts: '1700000001.000100' };
    const first = await event(ev, 'EvMENTION1');
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(3000);
    const answer = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(answer.body).toMatchObject({ channel: 'C0GENERAL', thread_ts: '1700000001.000100', parse: 'none' });
    expect(shown(answer.body)).toContain('RPO');
    expect(JSON.stringify(answer.body.blocks)).not.toContain('share_reply');

    const retry = await event(ev, 'EvMENTION1', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    const retry2 = await event(ev, 'EvMENTION1', { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry2.status).toBe(200);
    await sleep(500);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('"@bot /help" runs the command; a bare mention gets help', async () => {
    await event({ type: 'app_mention', user: 'U0HUMAN01', text: '<@U0FAKEBOT> /help', channel: 'C0GENERAL' }, 'EvMENTIONHELP');
    const help = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(String(help.body.text)).toContain('/ask');
    fake.reset();
    await event({ type: 'app_mention', user: 'U0HUMAN01', text: '<@U0FAKEBOT>', channel: 'C0GENERAL' }, 'EvMENTIONBARE');
    const bare = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(String(bare.body.text)).toContain('/help');
  });

  it('answers a DM, and ignores bot messages, edits and its own messages', async () => {
    await event({ type: 'message', channel_type: 'im', channel: 'D0DIRECT', user: 'U0HUMAN01', text: '/dr rto=1h rpo=15m' }, 'EvDM1');
    const answer = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(answer.body.channel).toBe('D0DIRECT');
    expect(answer.body.thread_ts).toBeUndefined();
    expect(String(answer.body.text).length).toBeGreaterThan(0);

    await event({ type: 'message', channel_type: 'im', channel: 'D0DIRECT', user: 'U0OTHER', bot_id: 'B0OTHER', text: 'RPO' }, 'EvDMBOT');
    await event({ type: 'message', subtype: 'message_changed', channel_type: 'im', channel: 'D0DIRECT', user: 'U0HUMAN01', text: 'RPO' }, 'EvDMEDIT');
    await event({ type: 'message', channel_type: 'im', channel: 'D0DIRECT', user: 'U0FAKEBOT', text: 'RPO' }, 'EvDMSELF');
    await event({ type: 'message', channel_type: 'channel', channel: 'C0GENERAL', user: 'U0HUMAN01', text: 'RPO' }, 'EvCHANNEL');
    await sleep(400);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('the share button posts the answer publicly with "shared by" and removes the private copy', async () => {
    const body = blockActionBody({ actionId: 'share_reply', value: '/ask RPO가 뭐야', responseUrl: fake.responseUrl('share-1'), isEphemeral: true });
    const res = await postSigned(url, body, { contentType: FORM, secret: SECRET, timeoutMs: 5000 });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    const shared = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(shared.body.channel).toBe('C0GENERAL');
    const visible = shown(shared.body);
    expect(visible).toContain('RPO');
    expect(visible).toContain('공유한 사람: <@U0HUMAN01>');
    expect(JSON.stringify(shared.body.blocks)).not.toContain('share_reply');
    const deleted = await fake.waitForResponse((p) => p.id === 'share-1', 3000);
    expect(deleted.body).toMatchObject({ delete_original: true });
  });

  it('a share Slack takes but answers too late, clicked twice, posts once: the retry finds the first post by its key', async () => {
    fake.acceptThen('chat.postMessage', { answerAfterMs: 2_500 }, 5);
    const click = () =>
      postSigned(url, blockActionBody({ actionId: 'share_reply', value: '/dr', messageTs: '1770000000.000777', responseUrl: fake.responseUrl('share-slow'), isEphemeral: true }), {
        contentType: FORM,
        secret: SECRET,
      });
    expect((await Promise.all([click(), click()])).map((r) => r.status)).toEqual([200, 200]);
    // The private copy is deleted only once the share is known to be posted.
    const deleted = await fake.waitForResponse((p) => p.id === 'share-slow', 8_000);
    expect(deleted.body).toMatchObject({ delete_original: true });
    // The one post Slack took is recorded once its late answer is out; no other came.
    await fake.waitForCall('chat.postMessage', (c) => c.injected, 3_000);
    await sleep(300);
    expect(fake.messagesIn('C0GENERAL')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fake.callsTo('conversations.history')).toHaveLength(1);
    expect(shown({ text: fake.messagesIn('C0GENERAL')[0]!.text, blocks: fake.messagesIn('C0GENERAL')[0]!.blocks })).toContain('공유한 사람: <@U0HUMAN01>');
  });

  it('a "more" button runs its command and answers privately at the response_url', async () => {
    const body = blockActionBody({ actionId: 'more_reply', value: '/help ask', responseUrl: fake.responseUrl('more-1') });
    expect((await postSigned(url, body, { contentType: FORM, secret: SECRET })).status).toBe(200);
    const post = await fake.waitForResponse((p) => p.id === 'more-1', 3000);
    expect(post.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(post.body.text)).toContain('/ask');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('a malformed timestamp is rejected before Bolt sees it', async () => {
    const body = slashCommandBody({ command: '/help', response_url: fake.responseUrl('malformed') });
    const res = await postSigned(url, body, { contentType: FORM, secret: SECRET, headers: { 'x-slack-request-timestamp': '12abc' } });
    expect(res.status).toBe(401);
  });

  it('sharing into a channel the bot is not in falls back to the response_url (in_channel)', async () => {
    fake.addChannel({ id: 'C0OUTSIDE', name: 'outside', isMember: false });
    const body = blockActionBody({ actionId: 'share_reply', value: '/help', channelId: 'C0OUTSIDE', responseUrl: fake.responseUrl('share-out') });
    expect((await postSigned(url, body, { contentType: FORM, secret: SECRET })).status).toBe(200);
    const post = await fake.waitForResponse((p) => p.id === 'share-out', 3000);
    expect(post.body.response_type).toBe('in_channel');
    expect(shown(post.body)).toContain('<@U0HUMAN01>');
  });

  it('never lets <!channel>, @everyone or <@U123> from a query reach Slack as a mention', async () => {
    // /session echoes what it could not find (/ask drops mention markup before it reads a question).
    const nasty = '<!channel> @everyone <@U123> <!here> zzqxv';
    await slash('/session', nasty, 'nasty-1');
    const viaSlash = await fake.waitForResponse((p) => p.id === 'nasty-1', 3000);
    await event({ type: 'app_mention', user: 'U0HUMAN01', text: `<@U0FAKEBOT> /session ${nasty}`, channel: 'C0GENERAL' }, 'EvNASTY');
    const viaMention = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    // The button path skips Slack's own escaping of the text: the raw sequences reach the bot.
    fake.reset();
    const click = blockActionBody({ actionId: 'share_reply', value: `/session ${nasty.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`, responseUrl: fake.responseUrl('nasty-share') });
    await postSigned(url, click, { contentType: FORM, secret: SECRET });
    const viaShare = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(shown(viaShare.body)).toContain('&lt;!channel&gt;'); // the query is echoed, escaped

    for (const body of [viaSlash.body, viaMention.body, viaShare.body]) {
      const visible = shown(body);
      expect(visible).toContain('zzqxv');
      expect(visible).not.toContain('<!channel>');
      expect(visible).not.toContain('<!here>');
      expect(visible).not.toContain('<@U123>');
      expect(visible).not.toContain('@everyone'); // defused to @\u2060everyone
      // the only mention anywhere is the "shared by" line on the shared copy
      expect(visible.match(/<[@!#]/g) ?? []).toHaveLength(body === viaShare.body ? 1 : 0);
    }
  });

  it('a 429 from chat.postMessage is retried after Retry-After and the answer still arrives', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await event({ type: 'app_mention', user: 'U0HUMAN01', text: '<@U0FAKEBOT> RTO가 뭐야', channel: 'C0GENERAL' }, 'Ev429');
    const delivered = await fake.waitForCall('chat.postMessage', (c) => c.ok, 5000);
    expect(shown(delivered.body)).toContain('RTO');
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('channel_not_found is logged (no token, no user text) and the process keeps serving', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await event({ type: 'app_mention', user: 'U0HUMAN01', text: '<@U0FAKEBOT> secret question text', channel: 'C0GONE' }, 'EvGONE');
    await fake.waitForCall('chat.postMessage', (c) => c.response.error === 'channel_not_found', 3000);
    const deadline = Date.now() + 3000;
    while (!logs.some((l) => l.msg === 'slack answer could not be delivered') && Date.now() < deadline) await sleep(20);
    const entry = logs.find((l) => l.msg === 'slack answer could not be delivered');
    expect(entry).toMatchObject({ level: 50, code: 'channel_not_found', channel: 'C0GONE' });
    await sleep(200);
    // permanent channel errors are not retried and get no follow-up notice
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);

    const res = await slash('/help', '', 'after-gone');
    expect(res.status).toBe(200);
    await fake.waitForResponse((p) => p.id === 'after-gone', 3000);
    const infoAndUp = rawLogs.filter((l) => (JSON.parse(l) as CapturedLog).level >= 30).join('\n');
    expect(infoAndUp).not.toContain('xoxb-test');
    expect(infoAndUp).not.toContain(SECRET);
    expect(infoAndUp).not.toContain('secret question text');
  });

  it('5xx until the retries run out: logged, then a short "could not deliver" notice', async () => {
    fake.failNext('chat.postMessage', { status: 500, times: 4 });
    await event({ type: 'app_mention', user: 'U0HUMAN01', text: '<@U0FAKEBOT> RPO', channel: 'C0GENERAL', ts: '1700000009.000100' }, 'Ev500');
    const notice = await fake.waitForCall('chat.postMessage', (c) => c.ok, 5000);
    expect(notice.body).toMatchObject({ channel: 'C0GENERAL', thread_ts: '1700000009.000100' });
    expect(String(notice.body.text)).toContain('답변을 전달하지 못했습니다');
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([500, 500, 500, 500, 200]);
    expect(logs.some((l) => l.msg === 'slack answer could not be delivered' && l.code === 'http_500')).toBe(true);
  });

  it('unknown paths get 404; oversized bodies 413', async () => {
    const res = await fetch(`http://127.0.0.1:${adapter.port}/nope`, { signal: AbortSignal.timeout(2000) });
    expect(res.status).toBe(404);
    const big = await postSigned(url, 'x'.repeat(1024 * 1024 + 10), { contentType: FORM, secret: SECRET });
    expect(big.status).toBe(413);
  });

  it('caps a chunked body (no Content-Length to check first) while it streams', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x78));
        controller.close();
      },
    });
    const res = await fetch(url, { method: 'POST', body: chunks, duplex: 'half', headers: { 'content-type': FORM }, signal: AbortSignal.timeout(5000) } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("answers Slack's unsigned ssl_check with 200 and runs nothing", async () => {
    const res = await fetch(url, { method: 'POST', body: 'ssl_check=1&token=abc', headers: { 'content-type': FORM }, signal: AbortSignal.timeout(5000) });
    expect(res.status).toBe(200);
    await sleep(100);
    expect(fake.responses).toHaveLength(0);
    const unsigned = await fetch(url, { method: 'POST', body: slashCommandBody({ command: '/ask', text: 'RTO', response_url: fake.responseUrl('unsigned') }), headers: { 'content-type': FORM }, signal: AbortSignal.timeout(5000) });
    expect(unsigned.status).toBe(401);
  });

  /** A second adapter on its own port, for tests that stop it or change its limits. */
  async function startOther(options: { maxQueuedAnswers?: number } = {}) {
    const other = createSlackAdapter({
      config: { mode: 'http', botToken: 'xoxb-test', signingSecret: SECRET, port: 0, apiUrl: fake.apiUrl },
      bot,
      store: new MemoryStore(),
      logger: capturingLogger().logger,
      host: '127.0.0.1',
      retryConfig: FAST_RETRY,
      drainTimeoutMs: 3000,
      ...options,
    });
    await other.start();
    return { other, otherUrl: `http://127.0.0.1:${other.port}/slack/events` };
  }

  it('a slash command acknowledged just before stop() still gets its answer', async () => {
    const { other, otherUrl } = await startOther();
    const body = slashCommandBody({ command: '/ask', text: 'RPO', response_url: fake.responseUrl('before-stop') });
    const res = await postSigned(otherUrl, body, { contentType: FORM, secret: SECRET, timeoutMs: 5000 });
    expect(res.status).toBe(200);
    await other.stop();
    expect(fake.responses.filter((p) => p.id === 'before-stop')).toHaveLength(1);
  });

  it('turns a command away in its ack, with a try-again note, when too many answers are waiting', async () => {
    const { other, otherUrl } = await startOther({ maxQueuedAnswers: 0 });
    try {
      const body = slashCommandBody({ command: '/ask', text: 'RPO', response_url: fake.responseUrl('shed') });
      const res = await postSigned(otherUrl, body, { contentType: FORM, secret: SECRET, timeoutMs: 5000 });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('다시 시도') });
      await sleep(200);
      expect(fake.responses.filter((p) => p.id === 'shed')).toHaveLength(0);
    } finally {
      await other.stop();
    }
  });

  it('stop() lets an answer in flight finish, then refuses new requests', async () => {
    const { other, otherUrl } = await startOther();
    fake.failNext('chat.postMessage', { delayMs: 400 });
    const res = await postSigned(otherUrl, eventCallbackBody({ type: 'app_mention', user: 'U0HUMAN01', text: '<@U0FAKEBOT> RPO', channel: 'C0GENERAL' }, 'EvSTOP'), {
      contentType: 'application/json',
      secret: SECRET,
    });
    expect(res.status).toBe(200);
    await sleep(50);
    await other.stop();
    expect(fake.callsTo('chat.postMessage').filter((c) => c.ok)).toHaveLength(1); // finished before stop() returned
    expect(other.isConnected()).toBe(false);
    await expect(fetch(otherUrl, { method: 'POST', signal: AbortSignal.timeout(1000) })).rejects.toThrow();
  });
});

describe('every request gets its 200 at once', () => {
  it('app_rate_limited (a body Bolt cannot classify) → 200 at once, logged as a warning', async () => {
    const res = await postSigned(url, appRateLimitedBody(), { contentType: 'application/json', secret: SECRET, timeoutMs: 5000 });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect(logs.some((l) => l.msg.includes('app_rate_limited'))).toBe(true);
  });

  it('kinds no listener takes (a message shortcut, a closed modal, an unhandled event) → 200 at once', async () => {
    const shortcut = new URLSearchParams({ payload: JSON.stringify({ type: 'message_action', callback_id: 'x', trigger_id: '1.2.3', user: { id: 'U0HUMAN01' }, team: { id: 'T0FAKETEAM' }, channel: { id: 'C0GENERAL' }, message: { ts: '1.2' }, response_url: fake.responseUrl('sc') }) }).toString();
    const closed = new URLSearchParams({ payload: JSON.stringify({ type: 'view_closed', user: { id: 'U0HUMAN01' }, team: { id: 'T0FAKETEAM' }, view: { id: 'V1', type: 'modal', callback_id: '' }, is_cleared: false }) }).toString();
    for (const body of [shortcut, closed]) {
      const res = await postSigned(url, body, { contentType: FORM, secret: SECRET, timeoutMs: 5000 });
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(1000);
    }
    const reaction = await event({ type: 'reaction_added', user: 'U0HUMAN01', reaction: 'eyes', item: { type: 'message', channel: 'C0GENERAL', ts: '1.2' } }, 'EvREACTION');
    expect(reaction.status).toBe(200);
    expect(reaction.ms).toBeLessThan(1000);
  });
});
