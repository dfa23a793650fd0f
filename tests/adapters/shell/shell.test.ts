import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startShell } from '../../../src/adapters/shell/repl.ts';
import { renderReply } from '../../../src/adapters/shell/render.ts';
import { actions, reply, heading, text } from '../../../src/core/reply.ts';
import { RATED_ACTIONS, testBot } from '../../helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

async function drive(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const shell = startShell({ bot: testBot(), input, output, interactive: false, color: false });
  input.end(`${lines.join('\n')}\n`);
  await shell.done;
  return written;
}

describe('shell adapter', () => {
  it('answers piped commands in order, plain text as questions', async () => {
    const out = await drive(['/help', '그래비톤', '/ask RPO가 뭐야']);
    const help = out.indexOf('/ask');
    const graviton = out.indexOf('Graviton');
    const rpo = out.lastIndexOf('RPO');
    expect(help).toBeGreaterThanOrEqual(0);
    expect(graviton).toBeGreaterThan(help);
    expect(rpo).toBeGreaterThan(graviton);
  });

  it('answers each question in its own language', async () => {
    const out = await drive(['where do I pick up my badge', '배지는 어디서 받아?']);
    const english = out.indexOf('Hall B of COEX');
    expect(english).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('코엑스 B홀')).toBeGreaterThan(english);
    expect(out).toContain('Show more');
  });

  it('stops at /quit and ignores the rest', async () => {
    const out = await drive(['/quit', '/help']);
    expect(out).toBe('');
  });

  it('shows "more" and the ratings as commands to type, the ratings on one line without the answer id, and nothing for share', () => {
    const rated = reply([text('answer'), actions([...RATED_ACTIONS])]);
    expect(renderReply(rated, { color: false })).toBe('answer\n\nMore: /ask x full=true\n👍 Helpful: /feedback good · 👎 Not helpful: /feedback bad');
    expect(renderReply(reply([text('answer'), actions([{ kind: 'share', label: 'Share', command: '/ask x' }])]), { color: false })).toBe('answer');
  });

  it('prints no colours when told not to, and strips control characters', () => {
    const rendered = renderReply(reply([heading('제목'), text('a\u001b[31mb\u0007')]), { color: false });
    expect(rendered).not.toContain('\u001b');
    expect(rendered).toContain('제목');
  });

  it('runs as `npm start` with piped stdin and exits at EOF', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'summit-shell-'));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      input: '/ask RPO가 뭐야\n',
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, HOME: dataDir },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('RPO');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('exits with code 2 and names the variable on a bad configuration', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH ?? '', SLACK_BOT_TOKEN: 'xoxb-1', PORT: 'abc', BOT_LOCALE: 'fr' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('BOT_LOCALE');
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
