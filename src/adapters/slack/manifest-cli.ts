/**
 * Prints the Slack app manifest for the current command list.
 *   npx tsx src/adapters/slack/manifest-cli.ts > manifest.yml                       (Socket Mode)
 *   npx tsx src/adapters/slack/manifest-cli.ts --request-url https://host/slack/events  (HTTP mode)
 */
import { createCommands } from '../../core/commands/index.ts';
import { manifestYaml } from './manifest.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--request-url');
const requestUrl = at >= 0 ? args[at + 1] : undefined;
if (at >= 0 && !requestUrl?.startsWith('https://')) {
  process.stderr.write('--request-url needs the public https://…/slack/events URL\n');
  process.exit(2);
}
process.stdout.write(manifestYaml(createCommands(), requestUrl ? { socketMode: false, requestUrl } : { socketMode: true }));
