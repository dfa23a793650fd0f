import type { Block, Reply } from '../../core/reply.ts';

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', cyan: '\x1b[36m', yellow: '\x1b[33m', reset: '\x1b[0m' };

// Terminal control sequences in knowledge or user text must not reach the terminal.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function renderReply(reply: Reply, options: { color: boolean }): string {
  const paint = (code: string, value: string) => (options.color ? `${code}${value}${ANSI.reset}` : value);
  const renderBlock = (block: Block): string => {
    switch (block.type) {
      case 'heading':
        return paint(ANSI.bold + ANSI.cyan, block.text);
      case 'text':
        return block.text;
      case 'fields':
        return block.fields.map((f) => `${paint(ANSI.bold, f.label)}: ${f.value}`).join('\n');
      case 'list':
        return block.items.map((item, i) => `  ${block.ordered ? `${i + 1}.` : '•'} ${item.replace(/\n/g, '\n    ')}`).join('\n');
      case 'citation':
        return block.citations.map((c) => paint(ANSI.dim, `— ${c.label} (${c.source})`)).join('\n');
      case 'divider':
        return paint(ANSI.dim, '─'.repeat(40));
      case 'actions':
        // A terminal has no buttons; the one useful action, "share", means nothing here.
        return '';
    }
  };
  const body = reply.blocks.map(renderBlock).filter(Boolean).join('\n\n').replace(CONTROL, '');
  return reply.isError ? paint(ANSI.yellow, '⚠ ') + body : body;
}
