/**
 * The platform-neutral reply every command returns. Adapters render it (Block Kit, embeds,
 * terminal text); anything they cannot render natively falls back to `toPlainText`.
 */
import type { Locale } from './i18n.ts';

export type Visibility = 'private' | 'public';

export interface Field {
  label: string;
  value: string;
}

export interface Citation {
  /** "Note title › Heading", as shown to users. */
  label: string;
  /** The knowledge file the passage comes from, relative to the knowledge root. */
  source: string;
}

export type ActionKind = 'share' | 'more' | 'feedback';

export interface Action {
  kind: ActionKind;
  label: string;
  /** The command line that reproduces (share), extends (more) or rates (feedback: `/feedback good <answer>`) this reply. */
  command: string;
}

/** A button's label when the one given cleans up to nothing on a platform. */
export const DEFAULT_ACTION_LABELS: Record<ActionKind, string> = { share: 'Share', more: 'More', feedback: 'Feedback' };

/** What an answer to a question showed; set on answers to `/ask` and `/dr` questions, read for feedback and metrics. */
export interface AnswerSummary {
  /** The command that asked (`ask`, `dr`). */
  command: string;
  /** The question as understood. */
  question: string;
  /** The language the answer is given in. */
  language: Locale;
  /** The passage shown first; absent when the notes do not answer the question and the bot said so. */
  citation?: Citation;
}

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Field[] }
  | { type: 'list'; items: string[]; ordered?: boolean }
  | { type: 'citation'; citations: Citation[] }
  | { type: 'divider' }
  | { type: 'actions'; actions: Action[] };

export interface Reply {
  blocks: Block[];
  visibility: Visibility;
  /** True when the reply reports a problem with the request (usage error, nothing found). */
  isError?: boolean;
  /**
   * The language the reply is written in, when a command chose it (an English question gets English):
   * renderers write their own words (footers, hints) in it rather than in the asker's locale.
   */
  locale?: Locale;
  /** Set when the reply answers (or declines to answer) a question. */
  answer?: AnswerSummary;
}

export const heading = (text: string): Block => ({ type: 'heading', text });
export const text = (value: string): Block => ({ type: 'text', text: value });
export const fields = (items: Field[]): Block => ({ type: 'fields', fields: items });
export const list = (items: string[], ordered = false): Block => ({ type: 'list', items, ordered });
export const citation = (citations: Citation[]): Block => ({ type: 'citation', citations });
export const divider = (): Block => ({ type: 'divider' });
export const actions = (items: Action[]): Block => ({ type: 'actions', actions: items });

export function reply(blocks: Block[], options: { visibility?: Visibility; isError?: boolean; locale?: Locale } = {}): Reply {
  return {
    blocks,
    visibility: options.visibility ?? 'private',
    ...(options.isError ? { isError: true } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
  };
}

/** `value` with `items` added to its last row of actions (or in a row of their own when it has none). */
export function withActions(value: Reply, items: Action[]): Reply {
  if (items.length === 0) return value;
  const last = value.blocks.findLastIndex((block) => block.type === 'actions');
  if (last < 0) return { ...value, blocks: [...value.blocks, actions(items)] };
  const blocks = value.blocks.map((block, i) => (i === last && block.type === 'actions' ? actions([...block.actions, ...items]) : block));
  return { ...value, blocks };
}

export function errorReply(message: string, hint?: string): Reply {
  return reply(hint ? [text(message), text(hint)] : [text(message)], { isError: true });
}

function blockToPlainText(block: Block): string {
  switch (block.type) {
    case 'heading':
      return block.text;
    case 'text':
      return block.text;
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
    case 'list':
      return block.items.map((item, i) => (block.ordered ? `${i + 1}. ${item}` : `• ${item}`)).join('\n');
    case 'citation':
      return block.citations.map((c) => `— ${c.label} (${c.source})`).join('\n');
    case 'divider':
      return '───';
    case 'actions':
      return '';
  }
}

/** The universal fallback: every block as readable text, blank lines between blocks. */
export function toPlainText(value: Reply): string {
  return value.blocks
    .map(blockToPlainText)
    .filter((part) => part.length > 0)
    .join('\n\n');
}
