// package.json's contributions in English and Brazilian Portuguese (issue 14, item 6):
// every %key% in the manifest resolves in package.nls.json and package.nls.pt-br.json,
// the two files have the same keys, the Portuguese keeps placeholders, code, setting
// links and command buttons, and nothing is left in English except names.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { optimizationSettingDescriptions } from '../../../src/extension/benchmark/settingsContributions';
import { repoRoot } from '../../helpers/paths';
import { keptTokens, translationProblems } from './invariants';

const read = (name: string): unknown => JSON.parse(readFileSync(join(repoRoot, name), 'utf8'));

/** Every string value of the manifest that is a whole %key%. */
function manifestKeys(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    const m = /^%([\w.-]+)%$/.exec(value);
    if (m) out.push(m[1]);
  } else if (Array.isArray(value)) for (const v of value) manifestKeys(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) manifestKeys(v, out);
  return out;
}

/** Values that are names and read the same in both languages. */
const NAMES = new Set(['displayName']);

describe('l10n: package.nls.json and package.nls.pt-br.json', () => {
  const pkg = read('package.json') as { contributes: { commands: Array<{ title: string }>; configuration: { properties: Record<string, { description?: string; markdownDescription?: string }> } } };
  const en = read('package.nls.json') as Record<string, string>;
  const pt = read('package.nls.pt-br.json') as Record<string, string>;

  it('every %key% in package.json resolves in both files, and both have no other keys', () => {
    const keys = manifestKeys(pkg);
    assert.equal(keys.length, 108);
    assert.deepEqual([...new Set(keys)].sort(), Object.keys(en).sort());
    assert.deepEqual(Object.keys(pt).sort(), Object.keys(en).sort());
  });

  it('no command title or setting description is left as literal text in package.json', () => {
    for (const c of pkg.contributes.commands) assert.match(c.title, /^%command\.[\w.]+\.title%$/);
    for (const [id, p] of Object.entries(pkg.contributes.configuration.properties)) {
      const text = p.markdownDescription ?? p.description ?? '';
      assert.match(text, /^%config\.[\w.]+%$/, id);
    }
  });

  it('the Portuguese keeps placeholders, code, setting links and command buttons, and translates all but names', () => {
    assert.deepEqual(translationProblems(en, pt, NAMES), []);
    // The checker itself catches a dropped code span and an untranslated value.
    assert.deepEqual(keptTokens('Use #pepperpy.cost.ledger# or `x` or {0} [x](command:pepperpy.model.open)'), ['#pepperpy.cost.ledger#', '(command:pepperpy.model.open)', '`x`', '{0}']);
    assert.deepEqual(translationProblems({ a: 'See `x`', b: 'Same' }, { a: 'Veja x', b: 'Same' }, new Set()), ['a: keeps [] instead of [`x`]', 'left in English: b']);
  });

  it('the English of the generated pepperpy.optimization.* descriptions is what the sync script writes', () => {
    const generated = optimizationSettingDescriptions();
    assert.equal(Object.keys(generated).length, 30);
    for (const [key, text] of Object.entries(generated)) assert.equal(en[key], text, key);
  });

  it('each walkthrough step has a pt-BR page that exists and keeps the English page\'s code and settings', () => {
    const keys = Object.keys(en).filter((k) => k.endsWith('.media'));
    assert.equal(keys.length, 6);
    for (const key of keys) {
      assert.match(pt[key], /^media\/walkthrough\/pt-br\/[\w-]+\.md$/, key);
      assert.ok(existsSync(join(repoRoot, pt[key])), pt[key]);
      const page = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
      assert.deepEqual(keptTokens(page(pt[key])), keptTokens(page(en[key])), pt[key]);
      assert.notEqual(page(pt[key]).split('\n')[0], page(en[key]).split('\n')[0], `${pt[key]} has an English title`);
    }
  });

  it('known translations, exactly', () => {
    assert.equal(pt['command.compressPrompt.title'], 'Comprimir Prompt');
    assert.equal(pt['command.optimizeRagPipeline.title'], 'Otimizar Pipeline RAG');
    assert.equal(pt['command.cost.openDashboard.title'], 'Abrir Painel de Custos');
    assert.equal(en['command.cost.openDashboard.title'], 'Open Cost Dashboard');
  });
});
