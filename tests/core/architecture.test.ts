import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);

describe('architecture', () => {
  it('the core knows nothing of Slack, Discord, the adapters or the store implementation', () => {
    const offenders = files(join(SRC, 'core')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^@slack\/|^discord\.js$|^@discordjs\/|\/adapters\/|\/store\/|better-sqlite3/.test(spec))
        .map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('an adapter never imports another adapter', () => {
    const offenders = files(join(SRC, 'adapters')).flatMap((file) => {
      const own = relative(join(SRC, 'adapters'), file).split('/')[0];
      return importsOf(file)
        .filter((spec) => /\/adapters\/(slack|discord|shell)\//.test(spec) || /^\.\.\/(slack|discord|shell)\//.test(spec))
        .filter((spec) => !spec.includes(`/${own}/`))
        .map((spec) => `${relative(SRC, file)} imports ${spec}`);
    });
    expect(offenders).toEqual([]);
  });
});
