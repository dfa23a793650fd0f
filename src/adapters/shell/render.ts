import type { Block, Reply } from '../../core/reply.ts';

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', cyan: '\x1b[36m', yellow: '\x1b[33m', reset: '\x1b[0m' };

// Terminal control sequences in knowledge or user text must not reach the terminal.
// Bidirectional overrides and isolates are stripped too: they can make a line read differently than it is.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function renderReply(reply: Reply, options: { color: boolean }): string {
  // Nothing to paint stays empty, so an empty block is dropped with or without colour.
  const paint = (code: string, value: string) => (options.color && value ? `${code}${value}${ANSI.reset}` : value);
  // Strip the text before painting: stripping the painted result would also eat our own colour codes' ESC.
  const clean = (value: string) => value.replace(CONTROL, '');
  const renderBlock = (block: Block): string => {
    switch (block.type) {
      case 'heading':
        return paint(ANSI.bold + ANSI.cyan, clean(block.text));
      case 'text':
        return clean(block.text);
      case 'fields':
        return block.fields.map((f) => `${paint(ANSI.bold, clean(f.label))}: ${clean(f.value)}`).join('\n');
      case 'list':
        return block.items.map((item, i) => `  ${block.ordered ? `${i + 1}.` : '•'} ${clean(item).replace(/\n/g, '\n    ')}`).join('\n');
      case 'citation':
        return block.citations.map((c) => paint(ANSI.dim, `— ${clean(c.label)} (${clean(c.source)})`)).join('\n');
      case 'divider':
        return paint(ANSI.dim, '─'.repeat(40));
      case 'actions': {
        // A terminal has no buttons: "share" means nothing here, and "more" and a rating are commands to type.
        // Without the answer id its button carries, `/feedback good` rates the last answer, i.e. this one.
        const more = block.actions.filter((a) => a.kind === 'more').map((a) => `${clean(a.label)}: ${clean(a.command)}`);
        const ratings = block.actions.filter((a) => a.kind === 'feedback').map((a) => `${clean(a.label)}: ${clean(a.command.split(' ').slice(0, 2).join(' '))}`);
        return [...more, ...(ratings.length > 0 ? [ratings.join(' · ')] : [])].map((line) => paint(ANSI.dim, line)).join('\n');
      }
    }
  };
  const body = reply.blocks.map(renderBlock).filter(Boolean).join('\n\n');
  return reply.isError ? paint(ANSI.yellow, '⚠ ') + body : body;
}
