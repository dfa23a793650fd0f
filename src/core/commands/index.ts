import { askCommand } from './ask.ts';
import { createHelpCommand } from './help.ts';
import type { Command } from './types.ts';

/** The one command list: `/help`, the Slack manifest and the Discord registration all come from it. */
export function createCommands(): Command[] {
  const commands: Command[] = [askCommand];
  commands.push(createHelpCommand(() => commands));
  return commands;
}
