// Loaded by .mocharc.json before any test file: the unit and protocol tests assert English
// text, and pepperpy-opt (dist/cli.js) speaks the language of LC_ALL / LC_MESSAGES / LANG
// (src/engine/cli/l10n.ts). Every process the tests spawn inherits this environment, so on a
// machine set to pt_BR.UTF-8 the CLI would answer in Portuguese and the English assertions
// would fail. The C locale keeps it English; tests that want a language pass their own env
// (test/unit/cli/l10n.test.ts). Only children see this: the mocha process's own ICU locale
// was fixed when Node started.
'use strict';
process.env.LC_ALL = 'C';
delete process.env.LC_MESSAGES;
delete process.env.LANG;
