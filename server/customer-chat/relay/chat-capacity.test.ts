import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chatCapacity, readOpenFileLimit } from './chat-capacity';

describe('chatCapacity', () => {
  it('when each chat holds its own upstream long-poll, then two files a chat fit under the limit', () => {
    expect(chatCapacity(20_000, 1)).toBe(8_775);
  });

  it('when 32 chats share a long-poll, then nearly one file a chat: 10,000 chats fit in 20,000 files', () => {
    expect(chatCapacity(20_000, 32)).toBe(17_018);
    expect(chatCapacity(20_000, 32)).toBeGreaterThan(10_000);
  });

  it('when the limit is below what is kept back, then no chat fits', () => {
    expect(chatCapacity(300, 32)).toBe(0);
  });
});

describe('readOpenFileLimit', () => {
  const limitsFile = (soft: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'limits-')), 'limits');
    writeFileSync(
      file,
      'Limit                     Soft Limit           Hard Limit           Units     \n' +
        'Max processes             unlimited            unlimited            processes \n' +
        `Max open files            ${soft.padEnd(20)} 1048576              files     \n`,
    );
    return file;
  };

  it('when /proc/self/limits names a soft limit, then that is the limit', () => {
    expect(readOpenFileLimit(limitsFile('20000'))).toBe(20_000);
  });

  it('when the limit is unlimited or the file cannot be read, then there is none', () => {
    expect(readOpenFileLimit(limitsFile('unlimited'))).toBeUndefined();
    expect(readOpenFileLimit('/no/such/file')).toBeUndefined();
  });
});
