// Reads distill's output on every real prompt (the collections of test/fixtures/prompts and the scan corpus's prompts
// of 40+ tokens) at the default budget and at 50 % of the compressed prompt, and counts what reads wrong (issue 12):
// a later sentence of an item kept without the item's first, an item kept without its parent or intro line, an intro
// kept over a list that went entirely (not a numbered item), a heading kept over a section that went, a role sentence
// dropped, an input block (src/engine/prompt/distillInput.ts) kept in part. It also counts the runs that met their
// budget, those that missed a budget the units always kept fit (distill at 1 token gives their size), and those that
// kept the main instruction, and a second task its paragraph states as an obligation ("You also have to generate…", in
// Perplexica's classifier of test/fixtures/perplexica). Links are those of src/engine/prompt/distillLinks.ts, on the units
// of analyzeProtected.
// SHOW=1 lists each case; SHARES=0.3,0.1 runs other budgets ('default' is the default one); DISTILLER_OUT=<other out/>
// runs the distiller of another build against this tree's criteria (figures before a change).
//
//   npx tsc -p tsconfig.test.json && node scripts/distill-check.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const out = resolve(import.meta.dirname, '..', 'out');
const { linkUnits } = require(join(out, 'src/engine/prompt/distillLinks'));
const { mainInstructionIndex, roleIndex, taskIndexes } = require(join(out, 'src/engine/prompt/distiller'));
const { PromptDistiller } = require(join(process.env.DISTILLER_OUT ? resolve(process.env.DISTILLER_OUT) : out, 'src/engine/prompt/distiller'));
const { inputBlocks } = require(join(out, 'src/engine/prompt/distillInput'));
const { PromptCompressor } = require(join(out, 'src/engine/prompt/compressor'));
const { analyzeProtected } = require(join(out, 'src/shared/prompt/protected'));
const { compiledPack } = require(join(out, 'src/shared/prompt/languages'));
const { findPrompts } = require(join(out, 'src/shared/prompt/scanner'));
const { TokenizerService } = require(join(out, 'src/shared/prompt/tokenizer'));
const { loadCollections } = require(join(out, 'test/fixtures/prompts/corpus'));

const tokenizer = new TokenizerService('js-tiktoken');
const compressor = new PromptCompressor();
const distiller = new PromptDistiller();
const prompts = loadCollections().map((p) => ({ id: p.id, text: p.text, language: p.language }));
const scanRoot = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'scan');
function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* files(path);
    else if (!['SOURCES.md', 'annotations.json', 'ANNOTATION.md'].includes(e.name)) yield path;
  }
}
// Perplexica's prompts too (its classifier states its second task as an obligation, "You also have to generate…"); those
// files are stored as `.ts.txt`, scanned under their own name.
const perplexicaRoot = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'perplexica');
for (const file of [...files(scanRoot), ...files(perplexicaRoot)].sort()) {
  for (const p of findPrompts(readFileSync(file, 'utf8'), undefined, { fileName: file.replace(/\.txt$/, '') })) {
    if (tokenizer.countWithEncoding(p.text, 'o200k_base') >= 40) prompts.push({ id: `${relative(scanRoot, file)}:${p.range.start.line + 1}`, text: p.text });
  }
}
const level = (text) => /^\s*(#+)/.exec(text)?.[1].length ?? 1;
// SHARES=0.5,0.3 runs other budgets (shares of the compressed prompt; 'default' for the default budget).
const shares = (process.env.SHARES ?? 'default,0.5').split(',').map((s) => (s === 'default' ? undefined : Number(s)));
const counts = { runs: 0, laterSentenceAlone: 0, itemWithoutParentOrIntro: 0, introOverNothing: 0, headingOverNothing: 0, roleDropped: 0, inputCut: 0, metBudget: 0, missedReachable: 0, withMain: 0, mainKept: 0, tasks: 0, tasksKept: 0 };
const show = (kind, id, share, text) => {
  if (process.env.SHOW) process.stdout.write(`${kind} ${id} @${share ?? 'default'}: ${JSON.stringify(text.slice(0, 90))}\n`);
};
for (const p of prompts) {
  const options = p.language ? { language: p.language } : {};
  const base = compressor.compress(p.text, { level: 'medium', ...options });
  const analysis = analyzeProtected(base.text, p.language);
  const units = analysis.units;
  const links = linkUnits(base.text, units);
  const pack = compiledPack(p.language ?? 'en');
  const role = roleIndex(units, pack);
  const main = mainInstructionIndex(units, pack);
  const tasks = taskIndexes(base.text, units, pack);
  const blocks = inputBlocks(base.text, units, analysis.spans, pack);
  // What distill keeps at any budget: its output at a budget of 1 token.
  const least = distiller.distill(p.text, { ...options, maxTokens: 1 }).tokensAfter;
  for (const share of shares) {
    counts.runs++;
    const r = distiller.distill(p.text, share ? { ...options, maxTokens: Math.max(5, Math.round(share * base.tokensAfter)) } : options);
    if (r.fitsBudget) counts.metBudget++;
    else if (least <= r.maxTokens) {
      counts.missedReachable++;
      show('MISSED', p.id, share, `${r.tokensAfter} > ${r.maxTokens}, ${least} always kept`);
    }
    // A dropped unit may hold several of analyzeProtected's (an input block is one unit for distill).
    const budgetDrops = r.dropped.filter((d) => d.reason === 'budget');
    const kept = units.map((u) => !budgetDrops.some((d) => d.start <= u.start && u.end <= d.end));
    if (main >= 0) {
      counts.withMain++;
      if (kept[main]) counts.mainKept++;
    }
    // A second task the main instruction's paragraph states as an obligation ("You also have to generate…").
    for (const t of tasks) {
      if (t === main) continue;
      counts.tasks++;
      if (kept[t]) counts.tasksKept++;
      else show('TASK', p.id, share, units[t].text);
    }
    for (const b of blocks) {
      const inBlock = kept.slice(b.first, b.last + 1);
      if (inBlock.includes(true) && inBlock.includes(false)) {
        counts.inputCut++;
        show('INPUT', p.id, share, units[b.first].text);
      }
    }
    units.forEach((u, i) => {
      for (const q of links.requires[i]) {
        if (!kept[i] || kept[q]) continue;
        const alone = u.kind === 'sentence' && units[q].kind !== 'sentence' && !/:[*_]*\s*$/.test(units[q].text);
        counts[alone ? 'laterSentenceAlone' : 'itemWithoutParentOrIntro']++;
        show(alone ? 'SENTENCE' : 'ITEM', p.id, share, u.text);
      }
      if (u.kind !== 'heading' || !kept[i]) return;
      let section = 0;
      let keptInSection = 0;
      for (let k = i + 1; k < units.length && !(units[k].kind === 'heading' && level(units[k].text) <= level(u.text)); k++) {
        if (units[k].kind === 'heading') continue;
        section++;
        if (kept[k]) keptInSection++;
      }
      if (section > 0 && keptInSection === 0) {
        counts.headingOverNothing++;
        show('HEADING', p.id, share, u.text);
      }
    });
    for (const [k, introduced] of links.introduces) {
      if (!kept[k] || /^\d{1,3}[.)]\s/.test(units[k].text) || introduced.some((x) => kept[x])) continue;
      counts.introOverNothing++;
      show('INTRO', p.id, share, units[k].text);
    }
    if (role >= 0 && !kept[role]) {
      counts.roleDropped++;
      show('ROLE', p.id, share, units[role].text);
    }
  }
}
process.stdout.write(`${prompts.length} prompts, ${counts.runs} runs (budgets: ${shares.map((s) => s ?? 'default').join(', ')}): ${JSON.stringify(counts)}\n`);
