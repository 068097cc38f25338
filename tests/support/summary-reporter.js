// Writes jest's pass/fail counts to test-results/summary.json for .ci/run's closing line.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const dir = join(this.rootDir, 'test-results');
    mkdirSync(dir, { recursive: true });
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify({ passed: results.numPassedTests, failed }),
    );
  }
}

module.exports = SummaryReporter;
