import { localize, localizeUsage, t, type Locale } from '../i18n.ts';
import { errorReply, fields, heading, list, reply, text, type Reply } from '../reply.ts';
import { publicOption } from './options.ts';
import { optionLabel } from './parse.ts';
import type { Command } from './types.ts';

function commandHelp(command: Command, locale: Locale): Reply {
  const options = command.options.map((o) => ({
    label: o.form === 'key' ? optionLabel(o, locale) : `<${optionLabel(o, locale)}>`,
    value: `${localize(o.description, locale)}${o.required ? ' *' : ''}`,
  }));
  return reply([
    heading(`/${command.name}`),
    text(localize(command.description, locale)),
    heading(t('usage', locale)),
    list(command.usage.map((line) => localizeUsage(line, locale))),
    ...(options.length > 0 ? [fields(options)] : []),
    heading(t('examples', locale)),
    list(command.examples),
  ]);
}

/** `/help` is generated from the same command list the adapters register, so it never drifts. */
export function createHelpCommand(all: () => Command[]): Command {
  const help: Command = {
    name: 'help',
    description: { ko: '명령 목록과 사용법을 보여줍니다', en: 'List the commands and how to use them' },
    usage: ['/help', '/help <명령 | command>'],
    examples: ['/help', '/help dr'],
    options: [
      {
        name: 'command',
        label: { ko: '명령', en: 'command' },
        type: 'string',
        required: false,
        form: 'text',
        description: { ko: '자세히 볼 명령 이름', en: 'A command to explain' },
      },
      publicOption,
    ],
    run(ctx, input) {
      const wanted = input.text.replace(/^\//, '').trim().toLowerCase();
      if (wanted) {
        const command = all().find((c) => c.name === wanted);
        return command ? commandHelp(command, ctx.locale) : errorReply(t('unknownCommand', ctx.locale, { name: wanted.slice(0, 40) }), t('seeHelp', ctx.locale));
      }
      return reply([
        heading(t('helpTitle', ctx.locale)),
        list(all().map((c) => `${localizeUsage(c.usage[0] ?? `/${c.name}`, ctx.locale)}: ${localize(c.description, ctx.locale)}`)),
        ...(ctx.feedback ? [text(t('helpFeedback', ctx.locale))] : []),
        text(t('helpFooter', ctx.locale)),
      ]);
    },
  };
  return help;
}
