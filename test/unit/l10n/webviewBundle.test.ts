// The bundle a panel gets from its host (src/protocol/l10n.ts): written into the page as a
// JSON data block that no message can break out of, read back exactly, and anything that
// is not a table of strings read as English ({}).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { l10nBundleJson, parseL10nBundle } from '../../../src/protocol/l10n';
import { repoRoot } from '../../helpers/paths';

describe('l10n: the bundle handed to webviews', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('escapes < so a message holding </script> cannot end the data block, and reads back the same table', () => {
    const bundle = { 'a </script><script>alert(1)</script>': 'b <b>' };
    const json = l10nBundleJson(bundle);
    assert.equal(json, '{"a \\u003c/script>\\u003cscript>alert(1)\\u003c/script>":"b \\u003cb>"}');
    assert.ok(!json.includes('<'));
    assert.deepEqual(parseL10nBundle(json), bundle);
    assert.equal(l10nBundleJson(undefined), '{}');
  });

  it('reads anything but an object of strings as English', () => {
    for (const text of [null, undefined, '', 'not json', '[]', '"x"', '42', 'null']) assert.deepEqual(parseL10nBundle(text), {}, String(text));
    assert.deepEqual(parseL10nBundle('{"a":"b","n":1,"o":{}}'), { a: 'b' });
  });

  it('the pt-BR bundle, through the page and @vscode/l10n, gives the Prompt Analysis panel its Portuguese labels', () => {
    const pt = JSON.parse(readFileSync(join(repoRoot, 'l10n', 'bundle.l10n.pt-br.json'), 'utf8')) as Record<string, string>;
    l10n.config({ contents: parseL10nBundle(l10nBundleJson(pt)) });
    assert.equal(l10n.t('Prompt analysis'), 'Análise do prompt');
    assert.equal(l10n.t('Suggestions ({0})', 3), 'Sugestões (3)');
    assert.equal(l10n.t('tokens for {0}', 'gpt-4o'), 'tokens para gpt-4o');
    assert.equal(l10n.t('(saves ~{0} tokens)', '12'), '(economiza ~12 tokens)');
  });
});
