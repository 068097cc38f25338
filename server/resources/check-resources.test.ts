import { join } from 'node:path';
import { checkResources } from './check-resources';
import {
  completeNeutralValues,
  removeResourceFolders,
  resourceFolder,
  resx,
} from './resx-test-files';

const shippedResources = join(__dirname, '..', '..', 'resources');
const neutral = resx(completeNeutralValues());

function problemsWith(
  files: Record<string, string>,
): { file: string; line: number; reason: string }[] {
  const folder = resourceFolder(files);
  return checkResources(folder).map((problem) => ({
    ...problem,
    file: problem.file.slice(folder.length + 1),
  }));
}

afterAll(removeResourceFolders);

describe('checkResources', () => {
  it('when the shipped resources are checked, then there is no problem', () => {
    expect(checkResources(shippedResources)).toEqual([]);
  });

  it('when a translation drops {0}, then it is a problem at its line', () => {
    const french = resx({ Send: 'Envoyer', NamedAgentJoined: 'Un conseiller est là.' });

    expect(problemsWith({ 'Toolbox.resx': neutral, 'Toolbox.fr.resx': french })).toEqual([
      {
        file: 'Toolbox.fr.resx',
        line: 9,
        reason: '"NamedAgentJoined" has placeholders none but the neutral text has {0}',
      },
    ]);
  });

  it('when a translation moves {0} and {1} around, then it is fine', () => {
    const french = resx({ EstimatedWaitTime: '{1} d’attente : {0}' });

    expect(problemsWith({ 'Toolbox.resx': neutral, 'Toolbox.fr.resx': french })).toEqual([]);
  });

  it('when a translation adds {2}, then it is a problem', () => {
    const french = resx({ EstimatedWaitTime: '{0} {1} {2}' });

    expect(problemsWith({ 'Toolbox.resx': neutral, 'Toolbox.fr.resx': french })).toEqual([
      {
        file: 'Toolbox.fr.resx',
        line: 6,
        reason: '"EstimatedWaitTime" has placeholders {0} {1} {2} but the neutral text has {0} {1}',
      },
    ]);
  });

  it('when a translation has a name the neutral file lacks, then it is a problem', () => {
    const german = resx({ Send: 'Senden', Sned: 'Senden' });

    expect(problemsWith({ 'Toolbox.resx': neutral, 'Toolbox.de.resx': german })).toEqual([
      { file: 'Toolbox.de.resx', line: 9, reason: '"Sned" is not in the neutral file' },
    ]);
  });

  it('when the neutral file misses a name or has an unknown one, then each is a problem', () => {
    const { Yes: _yes, ...values } = completeNeutralValues();
    const problems = problemsWith({ 'Toolbox.resx': resx({ ...values, Maybe: 'Maybe' }) });

    expect(problems).toEqual([
      { file: 'Toolbox.resx', line: 1, reason: 'missing names: Yes' },
      // Five lines of header, then three lines for each name before Maybe.
      {
        file: 'Toolbox.resx',
        line: 6 + 3 * Object.keys(values).length,
        reason: '"Maybe" is not a toolbox text name',
      },
    ]);
  });

  it('when the neutral text lacks a placeholder the toolbox fills, then it is a problem', () => {
    const values = { ...completeNeutralValues(), UploadProgress: 'Uploading…', Send: 'Send {0}' };

    expect(problemsWith({ 'Toolbox.resx': resx(values) }).map((p) => p.reason)).toEqual([
      '"Send" has placeholders {0} but the toolbox passes none',
      '"UploadProgress" has placeholders none but the toolbox passes {0}',
    ]);
  });

  it('when a file is not valid .resx, then it is a problem and the other files are still checked', () => {
    const problems = problemsWith({
      'Toolbox.resx': neutral,
      'Toolbox.fr.resx': resx({ Send: 'Envoyer' }).replace('<root>', '<root'),
      'Toolbox.de.resx': resx({ Sned: 'Senden' }),
    });

    expect(problems.map(({ file, line }) => `${file}:${line}`)).toEqual([
      'Toolbox.de.resx:6',
      'Toolbox.fr.resx:3',
    ]);
  });

  it('when a file is misnamed or the neutral file is missing, then each is a problem', () => {
    const problems = problemsWith({ 'Toolbox.fr_BE.resx': resx({}) });

    expect(problems.map((problem) => problem.file)).toEqual(['Toolbox.fr_BE.resx', 'Toolbox.resx']);
  });
});
