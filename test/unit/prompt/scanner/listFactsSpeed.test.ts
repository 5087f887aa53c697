// perf42: `listFacts` (joined.ts) finds the name bound to each list literal (`RULES = [`, `const RULES: string[] = [`) by
// searching from the last line break or `=` before it instead of trying every place in the 120 characters before it
// (the same expression, so the same leftmost match: the name and what follows it to the `=` hold neither). This checks
// the result against the previous implementation, kept here as the oracle, on every real source file of the scan corpus
// (test/fixtures/scan/python and ts, SOURCES.md there) and on edge cases written for it.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { listFacts } from '../../../../src/shared/prompt/scanner/joined';

/** `listFacts` as it was before perf42 (the names searched in the whole 120 characters before each `=`). */
function previousListFacts(src: string): string {
  const names = new Set<string>();
  for (const m of src.matchAll(/=[ \t]*\[/g)) {
    const at = m.index ?? 0;
    if (at > 0 && /[=!<>+\-*/%&|^:]/.test(src[at - 1])) continue;
    const name = /([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]*)?$/.exec(src.slice(Math.max(0, at - 120), at))?.[1];
    if (name) names.add(name);
  }
  if (names.size === 0) return '';
  const id = `(${[...names].map((n) => n.replace(/\$/g, '\\$')).join('|')})`;
  const uses = new RegExp(
    String.raw`(?<![\w$.])${id}\s*(?:\.\s*(append|extend|insert|push|unshift|splice|concat|pop|shift|remove|clear|sort|reverse|join)\b|\.\s*(length)\s*=(?!=)|(\+=))|\.join\(\s*${id}\s*\)|\bdel\s+${id}|(?<![=!<>])=\s*${id}\s*(?:;|$)`,
    'gm',
  );
  const out: string[] = [...names].sort();
  for (const m of src.matchAll(uses)) out.push(m[1] ? `${m[1]}.${m[2] ?? m[3] ?? m[4]}` : m[5] ? `join(${m[5]})` : m[6] ? `del ${m[6]}` : `=${m[7]}`);
  return out.sort().join(',');
}

const root = path.resolve(__dirname, '../../../../..');

describe('listFacts: the names bound to list literals, searched from the last line break or `=` (perf42)', () => {
  it('equals the previous search on every Python and TypeScript file of the scan corpus', () => {
    let files = 0;
    let withNames = 0;
    for (const dir of ['python', 'ts']) {
      const folder = path.join(root, 'test/fixtures/scan', dir);
      for (const file of readdirSync(folder)) {
        const src = readFileSync(path.join(folder, file), 'utf8');
        const expected = previousListFacts(src);
        assert.equal(listFacts(src), expected, file);
        files++;
        if (expected !== '') withNames++;
      }
    }
    assert.ok(files >= 100, `${files} files`);
    assert.ok(withNames >= 10, `${withNames} files bind a list literal`);
  });

  it('equals the previous search where the window, a type annotation, an earlier `=` or a line break decide the name', () => {
    const cases = [
      'RULES = [\n  "a",\n]\nprint("\\n".join(RULES))',
      'const RULES: string[] = ["a"];\nconst text = RULES.join("\\n");',
      // An earlier identifier followed by a colon on the same line: the leftmost match names it.
      'foo: bar RULES: list[str] = ["a"]\nRULES.append("b")',
      'x = y = [1, 2]\ny.append(3)',
      `${'a'.repeat(130)} = ["cut by the window"]`,
      `${'b'.repeat(50)} ${'c'.repeat(90)} = ["name longer than the window"]`,
      'items\t = [\n]\ndel items[0]',
      'if x == [1]: pass\nz != [2]\nw += [3]',
      '\u00e9t\u00e9 = ["accented name"]\nlst = [\u00e9t\u00e9]',
      'a=[1]\nb=a;\nc = [a]\nd.length = 0',
      '= [1]',
      'x: = [1]',
    ];
    for (const src of cases) assert.equal(listFacts(src), previousListFacts(src), JSON.stringify(src));
    // The annotated binding and the leftmost identifier on its line, as the previous search read them.
    assert.equal(listFacts('const RULES: string[] = ["a"];\nconst text = RULES.join("\\n");'), 'RULES,RULES.join');
    assert.equal(listFacts('foo: bar RULES: list[str] = ["a"]\nRULES.append("b")'), 'foo');
  });
});
