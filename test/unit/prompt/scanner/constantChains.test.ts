// Session 36 (left from break35): a prompt composed of module constants joined by a separator,
// `SYSTEM_PROMPT = ROLE + "\n\n" + RULES` sent as the system message, was not found at all: its one literal has no
// word, and ROLE and RULES are not named for prompts. Judged with the constants' text in place, it is one composed
// system prompt of three pieces (the constants stay prompts of their own, as a chain's constants do). Oracle: read by
// hand. Near misses (a banner printed, a path opened, an error raised) stay out.
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const ROLE = 'You are a meticulous financial analyst who reviews quarterly reports for a large bank.';
const RULES = 'Always cite the page number of each figure you quote, and never speculate about future earnings.';

describe('scanner: a prompt composed of module constants and a separator', () => {
  const summary = (src: string, languageId: string, fileName: string) => findPrompts(src, languageId, { fileName }).map((p) => `${p.kind} ${p.boundName} ${p.pieces?.length ?? 1}`);

  it('Python: SYSTEM_PROMPT = ROLE + "\\n\\n" + RULES, sent as the system message, is a system prompt of 3 pieces', () => {
    const src = [`ROLE = "${ROLE}"`, `RULES = "${RULES}"`, 'SYSTEM_PROMPT = ROLE + "\\n\\n" + RULES', '', 'def ask(client, q):', '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": q}])'].join('\n');
    // Before: [].
    assert.deepEqual(summary(src, 'python', 'a.py'), ['template ROLE 1', 'template RULES 1', 'system SYSTEM_PROMPT 3']);
    const system = findPrompts(src, 'python', { fileName: 'a.py' }).find((p) => p.boundName === 'SYSTEM_PROMPT');
    assert.deepEqual(system?.pieces?.map((p) => p.range.start.line), [0, 2, 1]);
  });

  it('TypeScript: the same chain with a space', () => {
    const src = [`const ROLE = "${ROLE}";`, `const RULES = "${RULES}";`, 'const SYSTEM_PROMPT = ROLE + " " + RULES;', 'export const ask = (client: any, q: string) => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM_PROMPT }, { role: "user", content: q }] });'].join('\n');
    assert.deepEqual(summary(src, 'typescript', 'a.ts'), ['template ROLE 1', 'template RULES 1', 'system SYSTEM_PROMPT 3']);
  });

  it('near misses: a banner printed, a path opened, an error raised, constants of under six words, a let', () => {
    assert.deepEqual(summary('TITLE = "Welcome to the quarterly report viewer for the finance team"\nSUBTITLE = "Use the arrow keys to move between the pages of the report"\nBANNER = TITLE + "\\n" + SUBTITLE\nprint(BANNER)\n', 'python', 'a.py'), []);
    assert.deepEqual(summary('BASE = "/var/lib/app/data/reports/quarterly/finance/team/archive"\nNAME = "report-final-2024-v2-approved-by-the-board.pdf"\nFULL = BASE + "/" + NAME\nopen(FULL)\n', 'python', 'a.py'), []);
    assert.deepEqual(summary('PART1 = "The connection to the database failed after several retries"\nPART2 = "please check the network settings and try again later"\nERROR_MESSAGE = PART1 + ": " + PART2\nraise RuntimeError(ERROR_MESSAGE)\n', 'python', 'a.py'), []);
    assert.deepEqual(summary('A = "You are terse."\nB = "Answer now."\nSYSTEM_PROMPT = A + "\\n" + B\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n', 'python', 'a.py'), []);
    const lets = [`let ROLE = "${ROLE}";`, `let RULES = "${RULES}";`, 'const SYSTEM_PROMPT = ROLE + " " + RULES;', 'client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM_PROMPT }] });'].join('\n');
    assert.deepEqual(summary(lets, 'typescript', 'a.ts'), []);
  });
});
