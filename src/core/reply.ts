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

export type ActionKind = 'share' | 'more';

export interface Action {
  kind: ActionKind;
  label: string;
  /** The command line that reproduces (share) or extends (more) this reply. */
  command: string;
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
