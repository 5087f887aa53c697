// Reads distill's output on every real prompt (the collections of test/fixtures/prompts and the scan corpus's prompts
// of 40+ tokens) at the default budget and at 50 % of the compressed prompt, and counts what reads wrong (issue 12):
// a later sentence of an item kept without the item's first, an item kept without its parent or intro line, an intro
// kept over a list that went entirely (not a numbered item), a heading kept over a section that went, a role sentence
// dropped. Links are those of src/engine/prompt/distillLinks.ts. SHOW=1 lists each case.
//
//   npx tsc -p tsconfig.test.json && node scripts/distill-check.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const out = resolve(import.meta.dirname, '..', 'out');
const { linkUnits } = require(join(out, 'src/engine/prompt/distillLinks'));
const { PromptDistiller, roleIndex } = require(join(out, 'src/engine/prompt/distiller'));
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
for (const file of [...files(scanRoot)].sort()) {
  for (const p of findPrompts(readFileSync(file, 'utf8'), undefined, { fileName: file })) {
    if (tokenizer.countWithEncoding(p.text, 'o200k_base') >= 40) prompts.push({ id: `${relative(scanRoot, file)}:${p.range.start.line + 1}`, text: p.text });
  }
}
const level = (text) => /^\s*(#+)/.exec(text)?.[1].length ?? 1;
const counts = { runs: 0, laterSentenceAlone: 0, itemWithoutParentOrIntro: 0, introOverNothing: 0, headingOverNothing: 0, roleDropped: 0 };
const show = (kind, id, share, text) => {
  if (process.env.SHOW) process.stdout.write(`${kind} ${id} @${share ?? 'default'}: ${JSON.stringify(text.slice(0, 90))}\n`);
};
for (const p of prompts) {
  const options = p.language ? { language: p.language } : {};
  const base = compressor.compress(p.text, { level: 'medium', ...options });
  const units = analyzeProtected(base.text, p.language).units;
  const links = linkUnits(base.text, units);
  const role = roleIndex(units, compiledPack(p.language ?? 'en'));
  for (const share of [undefined, 0.5]) {
    counts.runs++;
    const r = distiller.distill(p.text, share ? { ...options, maxTokens: Math.max(5, Math.round(share * base.tokensAfter)) } : options);
    const gone = new Set(r.dropped.filter((d) => d.reason === 'budget').map((d) => d.start));
    const kept = units.map((u) => !gone.has(u.start));
    units.forEach((u, i) => {
      for (const q of links.requires[i]) {
        if (!kept[i] || kept[q]) continue;
        const alone = u.kind === 'sentence' && units[q].kind !== 'sentence' && !/:\s*$/.test(units[q].text);
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
process.stdout.write(`${prompts.length} prompts, ${counts.runs} runs (default budget and 50 %): ${JSON.stringify(counts)}\n`);
