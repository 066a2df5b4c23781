import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_USAGE, parseAdminArgs } from './admin-commands';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The words of a command written in the docs, its quotes taken as a shell takes them. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/**
 * Every admin command written in `file` as `npm run admin -- …` or `kyoten-admin.sh …`, inside
 * backticks or as a line of a code block (the part after the prefix), with its placeholders
 * (<端末ID>) filled in and its optional parts ([--by <名前>]) left out.
 */
function commandsIn(file: string): { line: number; argv: string[] }[] {
  const found: { line: number; argv: string[] }[] = [];
  read(file).split('\n').forEach((text, index) => {
    const inline = [...text.matchAll(/`(?:npm run admin --|sudo sh \S*kyoten-admin\.sh) ([^`]+)`/g)];
    const block = /^\s*(?:npm run admin --|sudo sh \S*kyoten-admin\.sh) (.+)$/.exec(text);
    for (const m of block ? [block] : inline) {
      const argv = words(m[1]!.replace(/\[[^\]]*\]/g, '').replace(/<[^>]+>/g, 'x'));
      // `npm run admin -- …` as a word in a sentence, not a command
      if (argv[0] === '…') continue;
      found.push({ line: index + 1, argv });
    }
  });
  return found;
}

describe('the admin commands the docs tell an admin to type', () => {
  it.each(['docs/guide/hub-admin.md', 'docs/hub-server.md', 'docs/sync-protocol.md', 'README.md'])('are commands the admin script takes, with options it takes (%s)', (file) => {
    const commands = commandsIn(file);
    expect(commands.length).toBeGreaterThan(0);
    const refused = commands.flatMap(({ line, argv }) => {
      try {
        // A command named in a sentence (`npm run admin -- backup`) is checked by its name alone.
        if (argv.length === 1) {
          if (!ADMIN_USAGE.split('\n').some((usage) => usage.trimStart().startsWith(`${argv[0]} `))) throw new Error('no such command');
        } else {
          parseAdminArgs(argv);
        }
        return [];
      } catch (error) {
        return [`${file}:${line} ${argv.join(' ')}: ${(error as Error).message}`];
      }
    });
    expect(refused).toEqual([]);
  });

  it('finds a command the script does not take (a renamed option)', () => {
    expect(() => parseAdminArgs(words('disable-user --hub hub-matsudo --user aoba1 --yes'))).toThrow();
  });

  it('tells the admin of a production hub to run the commands through kyoten-admin.sh', () => {
    expect(read('docs/guide/hub-admin.md')).toContain('sudo sh /opt/kyoten-navi/docs/kyoten-admin.sh');
  });
});
