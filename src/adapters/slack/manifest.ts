/**
 * The Slack app manifest, generated from the command registry so `/help`, the slash commands Slack
 * shows and what the adapter registers never drift apart. `manifest.yml` at the repo root is this,
 * rendered by `npx tsx src/adapters/slack/manifest-cli.ts > manifest.yml` (a test checks it is current).
 */
import { stringify } from 'yaml';
import type { Command } from '../../core/commands/types.ts';
import type { Locale } from '../../core/i18n.ts';
import { SLACK_EVENTS_PATH } from './paths.ts';

export interface ManifestOptions {
  socketMode: boolean;
  /** HTTP mode: the public `https://…/slack/events` URL. Required when socketMode is false. */
  requestUrl?: string;
  /** Language of command descriptions when both do not fit in Slack's 100 characters. Default 'ko'. */
  locale?: Locale;
  name?: string;
}

/**
 * What each scope is for: answering (`commands`, `chat:write`, `app_mentions:read`, `im:history`), the
 * assistant pane (`assistant:write`: status and suggested prompts), and the check before a daily-tip
 * subscription (`channels:read`, `groups:read`, `im:read`, `mpim:read` for conversations.info;
 * `channels:join` to join a public channel), and reading a conversation back (`channels:history`,
 * `groups:history`, `mpim:history`, with `im:history`) to find a post the bot is unsure went out (a daily
 * tip or a share whose answer timed out) before it sends it again. The App Home tab needs no scope of its own.
 */
export const BOT_SCOPES = [
  'app_mentions:read',
  'assistant:write',
  'channels:history',
  'channels:join',
  'channels:read',
  'chat:write',
  'commands',
  'groups:history',
  'groups:read',
  'im:history',
  'im:read',
  'mpim:history',
  'mpim:read',
] as const;
export const BOT_EVENTS = ['app_home_opened', 'app_mention', 'assistant_thread_context_changed', 'assistant_thread_started', 'message.im'] as const;

const MAX_DESCRIPTION = 100;
const MAX_USAGE_HINT = 100;

function cutTo(value: string, max: number): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** "한국어 · English" when it fits in 100 characters, otherwise the locale's own text. */
export function commandDescription(command: Command, locale: Locale = 'ko'): string {
  const both = `${command.description.ko} · ${command.description.en}`;
  return both.length <= MAX_DESCRIPTION ? both : cutTo(command.description[locale], MAX_DESCRIPTION);
}

/** `/dr rto=<duration> rpo=<duration>` → `rto=<duration> rpo=<duration>`; forms joined with " | ". */
export function usageHint(command: Command): string | undefined {
  const prefix = new RegExp(`^/${command.name}\\s*`, 'i');
  const forms = command.usage.map((u) => u.replace(prefix, '').trim()).filter(Boolean);
  return forms.length > 0 ? cutTo(forms.join(' | '), MAX_USAGE_HINT) : undefined;
}

export function buildManifest(commands: Command[], options: ManifestOptions): Record<string, unknown> {
  if (!options.socketMode && !options.requestUrl) throw new Error('HTTP mode needs requestUrl (https://<host>/slack/events)');
  const url = options.socketMode ? undefined : options.requestUrl;
  const name = options.name ?? 'Summit Bot';
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'AWS Summit Seoul 2023 노트로 답하는 지식 봇 · Answers from the AWS Summit Seoul 2023 notes',
      background_color: '#232f3e',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      assistant_view: {
        assistant_description: 'AWS Summit Seoul 2023 노트에서 답을 찾아 출처와 함께 알려 드립니다 · Answers from the AWS Summit Seoul 2023 notes, with sources',
      },
      bot_user: { display_name: 'summit-bot', always_online: true },
      slash_commands: commands.map((command) => {
        const hint = usageHint(command);
        return {
          command: `/${command.name}`,
          ...(url ? { url } : {}),
          description: commandDescription(command, options.locale),
          ...(hint ? { usage_hint: hint } : {}),
          should_escape: false,
        };
      }),
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: { ...(url ? { request_url: url } : {}), bot_events: [...BOT_EVENTS] },
      interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: options.socketMode,
      token_rotation_enabled: false,
    },
  };
}

export const MANIFEST_HEADER = [
  '# Slack app manifest for summit-bot — GENERATED, do not edit by hand.',
  '# Regenerate: npx tsx src/adapters/slack/manifest-cli.ts > manifest.yml',
  `# HTTP mode:  npx tsx src/adapters/slack/manifest-cli.ts --request-url https://<host>${SLACK_EVENTS_PATH} > manifest.yml`,
  '',
].join('\n');

export function manifestYaml(commands: Command[], options: ManifestOptions): string {
  return MANIFEST_HEADER + stringify(buildManifest(commands, options), { lineWidth: 0 });
}
