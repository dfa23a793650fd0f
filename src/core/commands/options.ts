import type { CommandOption } from './types.ts';

/** Every command takes `public=true` to answer in the channel instead of privately. */
export const publicOption: CommandOption = {
  name: 'public',
  label: { ko: '공개', en: 'public' },
  type: 'boolean',
  required: false,
  form: 'key',
  description: { ko: '채널의 모두에게 보이게 답합니다', en: 'Answer visibly to the whole channel' },
};

/** `/ask` and `/dr` questions take `full=true` to show whole passages (what the "more" button sends). */
export const fullOption: CommandOption = {
  name: 'full',
  label: { ko: '전체', en: 'full' },
  type: 'boolean',
  required: false,
  form: 'key',
  description: { ko: '답이 되는 문장 대신 노트의 절 전체를 보여 줍니다', en: 'Show whole passages instead of the answering sentences' },
};
