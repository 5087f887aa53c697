// A mocha reporter that prints the usual spec output and also writes the run's counts and
// failures as JSON to the file named by PEPPERPY_TEST_RESULTS, so scripts/test.mjs can add
// them up without parsing text. (Mocha runs one reporter at a time; this is both.)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const tests = [];
    runner.on(EVENT_TEST_PASS, (test) => tests.push({ fullTitle: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on(EVENT_TEST_PENDING, (test) => tests.push({ fullTitle: test.fullTitle(), state: 'pending' }));
    runner.on(EVENT_TEST_FAIL, (test, err) => tests.push({ fullTitle: test.fullTitle(), state: 'failed', error: { message: String(err && err.message), stack: err && err.stack } }));
    runner.once(EVENT_RUN_END, () => {
      const target = process.env.PEPPERPY_TEST_RESULTS;
      if (!target) return;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const count = (state) => tests.filter((t) => t.state === state).length;
      fs.writeFileSync(target, `${JSON.stringify({ passes: count('passed'), failures: count('failed'), pending: count('pending'), tests }, null, 2)}\n`);
    });
  }
}

module.exports = CountReporter;
