import { checkResources, type Problem } from '../server/resources/check-resources';
import { listResourceFiles } from '../server/resources/resource-files';

// Run from the project root, the default folder is the one the server ships.
const folder = process.argv[2] ?? 'resources';

function check(): Problem[] {
  try {
    return checkResources(folder);
  } catch (error) {
    // A missing or unreadable folder deserves a line, not a stack trace; a bug keeps its trace.
    if (!(error instanceof Error && 'code' in error)) throw error;
    return [{ file: folder, line: 1, reason: error.message }];
  }
}

const problems = check();
for (const { file, line, reason } of problems) console.error(`${file}:${line}: ${reason}`);
if (problems.length > 0) {
  process.exitCode = 1;
} else {
  const { neutral, cultures } = listResourceFiles(folder);
  console.log(`resources OK (${cultures.length + (neutral ? 1 : 0)} files)`);
}
