import { askCommand } from './ask.ts';
import { drCommand } from './dr.ts';
import { sessionCommand } from './session.ts';
import { tipCommand } from './tip.ts';
import { feedbackCommand } from './feedback.ts';
import { createHelpCommand } from './help.ts';
import type { Command } from './types.ts';

/** The one command list: `/help`, the Slack manifest and the Discord registration all come from it. */
export function createCommands(): Command[] {
  const commands: Command[] = [askCommand, sessionCommand, drCommand, tipCommand, feedbackCommand];
  commands.push(createHelpCommand(() => commands));
  return commands;
}
