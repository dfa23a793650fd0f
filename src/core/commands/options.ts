import type { CommandOption } from './types.ts';

/** Every command takes `public=true` to answer in the channel instead of privately. */
export const publicOption: CommandOption = {
  name: 'public',
  type: 'boolean',
  required: false,
  form: 'key',
  description: { ko: '채널의 모두에게 보이게 답합니다', en: 'Answer visibly to the whole channel' },
};
