import { fileURLToPath } from 'node:url';

/** The notes shipped with the bot, next to `src/` (and next to `dist/` in the image). */
export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL('../../../knowledge', import.meta.url));
