import fc from 'fast-check';
import { type FaultCode, ServiceFault } from '../protocol/faults';
import {
  type AttachmentLimits,
  checkAttachment,
  checkAttachmentName,
  fileExtension,
} from './attachment-policy';

const hex = (bytes: string): Buffer => Buffer.from(bytes.replace(/ /g, ''), 'hex');
const text = (value: string): Buffer => Buffer.from(value, 'utf8');

const windowsExe = hex('4d5a 9000 0300 0000 0400 0000 ffff 0000 b800 0000');
const elf = hex('7f45 4c46 0201 0100 0000 0000 0000 0000 0200 3e00');
const machO = hex('cffa edfe 0700 0001 0300 0000 0200 0000');
const script = text('#!/bin/sh\nrm -rf ~\n');
const ole = hex('d0cf 11e0 a1b1 1ae1 0000 0000 0000 0000 3e00 0300 feff');
const zip = hex('504b 0304 1400 0600 0800 0000 2100');
const png = hex('8950 4e47 0d0a 1a0a 0000 000d 4948 4452 0000 0001');
const jpeg = hex('ffd8 ffe0 0010 4a46 4946 0001 0100');
const gif = hex('4749 4638 3961 0100 0100 8000 00');
const webp = hex('5249 4646 2400 0000 5745 4250 5650 3820');
const pdf = text('%PDF-1.7\n%âãÏÓ\n');
const notes = text('Meeting notes: bring the invoice.\n');

/** The Chat Service's default lists. */
const defaults: AttachmentLimits = {
  maxBytes: 5120 * 1024,
  allowedTypes: [],
  restrictedTypes: ['exe', 'bat', 'cmd', 'com', 'vbs'],
};
const allowing = (...allowedTypes: string[]): AttachmentLimits => ({ ...defaults, allowedTypes });

function faultFrom(action: () => void): ServiceFault {
  try {
    action();
  } catch (error) {
    if (error instanceof ServiceFault) return error;
    throw error;
  }
  throw new Error('expected a ServiceFault, but nothing was thrown');
}

function expectFault(action: () => void, code: FaultCode, message: RegExp): void {
  const fault = faultFrom(action);
  expect(fault.code).toBe(code);
  expect(fault.message).toMatch(message);
}

describe('fileExtension', () => {
  it.each([
    ['Photo.PNG', 'png'],
    ['archive.tar.gz', 'gz'],
    ['README', ''],
    ['trailing.', ''],
    ['.bashrc', 'bashrc'],
    ['run.bat.', 'bat'],
    ['run.bat . ', 'bat'],
  ])('when the name is %j, then the extension is %j', (name, extension) => {
    expect(fileExtension(name)).toBe(extension);
  });
});

describe('checkAttachment names', () => {
  it.each([
    ['empty', ''],
    ['a path with slashes', 'dir/notes.txt'],
    ['a path with backslashes', 'dir\\notes.txt'],
    ['"."', '.'],
    ['".."', '..'],
    ['256 characters long', `${'n'.repeat(252)}.txt`],
    ['holding a newline', 'notes\n.txt'],
    ['holding a NUL', 'notes\u0000.txt'],
    ['holding DEL', 'notes\u007f.txt'],
    ['holding a right-to-left override', 'photo\u202egnp.exe'],
    ['naming a Windows data stream', 'run.bat::$DATA'],
  ])('when the name is %s, then it is a BadRequest', (_, name) => {
    expectFault(() => checkAttachment(name, notes, defaults), 'BadRequest', /Attachment name/);
    expectFault(() => checkAttachmentName(name, defaults), 'BadRequest', /Attachment name/);
  });

  it('when the name is 255 characters long, then it is accepted', () => {
    expect(() => checkAttachment(`${'n'.repeat(251)}.txt`, notes, defaults)).not.toThrow();
  });

  it('when the name is not ASCII, then it is accepted', () => {
    expect(() => checkAttachment('Lebenslauf – Müller.pdf', pdf, defaults)).not.toThrow();
  });
});

describe('checkAttachment size', () => {
  it('when maxBytes is 0, then every attachment is refused as disabled', () => {
    const disabled = { ...defaults, maxBytes: 0 };
    expectFault(
      () => checkAttachment('notes.txt', Buffer.alloc(0), disabled),
      'AttachmentTooLarge',
      /disabled/,
    );
  });

  it('when the content is larger than maxBytes, then the fault gives the limit in KB', () => {
    const limits = { ...defaults, maxBytes: 2048 };
    const content = Buffer.alloc(3072, 'a');
    expectFault(
      () => checkAttachment('notes.txt', content, limits),
      'AttachmentTooLarge',
      /limited to 2 KB/,
    );
  });

  it('when the content is exactly maxBytes, then it is accepted', () => {
    const limits = { ...defaults, maxBytes: 2048 };
    expect(() => checkAttachment('notes.txt', Buffer.alloc(2048, 'a'), limits)).not.toThrow();
  });
});

describe('checkAttachment extensions', () => {
  it('when the extension is restricted and no allow list is set, then it is refused', () => {
    expectFault(
      () => checkAttachment('install.bat', text('@echo off\n'), defaults),
      'AttachmentTypeNotAllowed',
      /\.bat files are not allowed/,
    );
  });

  it('when a restricted extension is in upper case, then it is still refused', () => {
    expectFault(
      () => checkAttachment('INSTALL.BAT', text('@echo off\n'), defaults),
      'AttachmentTypeNotAllowed',
      /\.bat files/,
    );
  });

  it('when a restricted extension hides behind a trailing dot, then it is still refused', () => {
    expectFault(
      () => checkAttachment('install.bat.', text('@echo off\n'), defaults),
      'AttachmentTypeNotAllowed',
      /\.bat files/,
    );
  });

  it('when an allow list is set and the extension is missing from it, then it is refused', () => {
    expectFault(
      () => checkAttachment('notes.txt', notes, allowing('png', 'pdf')),
      'AttachmentTypeNotAllowed',
      /\.txt files are not allowed\. Allowed: \.png, \.pdf\./,
    );
  });

  it('when an allow list is set, then the restricted list no longer applies', () => {
    const limits = { ...allowing('bat'), restrictedTypes: ['bat'] };
    expect(() => checkAttachment('install.bat', text('@echo off\n'), limits)).not.toThrow();
  });

  it('when names and lists differ in case, then they are compared case-insensitively', () => {
    expect(() => checkAttachment('Photo.PNG', png, allowing('png'))).not.toThrow();
    expect(() => checkAttachment('photo.png', png, allowing('PNG'))).not.toThrow();
    expectFault(
      () => checkAttachment('tool.vbs', notes, { ...defaults, restrictedTypes: ['VBS'] }),
      'AttachmentTypeNotAllowed',
      /\.vbs files/,
    );
  });

  it('when the name has no extension and no allow list is set, then it is accepted', () => {
    expect(() => checkAttachment('README', notes, defaults)).not.toThrow();
  });

  it('when the name has no extension and an allow list is set, then it is refused', () => {
    expectFault(
      () => checkAttachment('README', notes, allowing('txt')),
      'AttachmentTypeNotAllowed',
      /files without an extension are not allowed/,
    );
  });
});

describe('checkAttachment executable content', () => {
  it('when a Windows executable is renamed .txt under the default lists, then it is refused as not what its name says', () => {
    expectFault(
      () => checkAttachment('notes.txt', windowsExe, defaults),
      'AttachmentContentMismatch',
      /"notes\.txt" is a Windows executable, not what its \.txt extension says; programs are not allowed/,
    );
  });

  it('when an ELF binary is renamed .png, then it is refused as an executable that does not match its name', () => {
    expectFault(
      () => checkAttachment('cat.png', elf, defaults),
      'AttachmentContentMismatch',
      /is an ELF executable, not what its \.png extension says; programs/,
    );
  });

  it('when a Mach-O binary has no extension, then it is refused', () => {
    expectFault(
      () => checkAttachment('tool', machO, defaults),
      'AttachmentTypeNotAllowed',
      /is a Mach-O executable/,
    );
  });

  it('when a shebang script is named .txt, then it is refused', () => {
    expectFault(
      () => checkAttachment('notes.txt', script, defaults),
      'AttachmentContentMismatch',
      /is a script/,
    );
  });

  it('when a Windows executable is renamed .png, then it is refused as not matching its name', () => {
    expectFault(
      () => checkAttachment('photo.png', windowsExe, defaults),
      'AttachmentContentMismatch',
      /"photo\.png" is a Windows executable, not what its \.png extension says/,
    );
  });

  it('when both lists are empty, then executables are still refused', () => {
    const open = { ...defaults, restrictedTypes: [] };
    expectFault(
      () => checkAttachment('setup.exe', windowsExe, open),
      'AttachmentTypeNotAllowed',
      /Windows executable/,
    );
  });

  it('when the allow list names the executable type, then it is accepted', () => {
    expect(() => checkAttachment('setup.exe', windowsExe, allowing('exe'))).not.toThrow();
    expect(() => checkAttachment('deploy.sh', script, allowing('sh'))).not.toThrow();
  });

  it('when the allow list names other types only, then an executable is refused', () => {
    expectFault(
      () => checkAttachment('notes.txt', windowsExe, allowing('txt')),
      'AttachmentContentMismatch',
      /Windows executable/,
    );
  });
});

describe('checkAttachment signatures', () => {
  it.each([
    ['png', png],
    ['jpg', jpeg],
    ['jpeg', jpeg],
    ['jfif', jpeg],
    ['gif', gif],
    ['webp', webp],
    ['pdf', pdf],
    ['zip', zip],
    ['docx', zip],
    ['xlsx', zip],
    ['pptx', zip],
    ['odt', zip],
    ['jar', zip],
    ['apk', zip],
    ['doc', ole],
    ['xls', ole],
    ['ppt', ole],
    ['msi', ole],
  ])('when a .%s file carries its signature, then it is accepted', (extension, content) => {
    expect(() => checkAttachment(`file.${extension}`, content, defaults)).not.toThrow();
  });

  it('when a real PNG header is named .PNG, then it is accepted', () => {
    expect(() => checkAttachment('PHOTO.PNG', png, defaults)).not.toThrow();
  });

  it('when a text file is named .png, then it is refused as not matching', () => {
    expectFault(
      () => checkAttachment('photo.png', notes, defaults),
      'AttachmentContentMismatch',
      /"photo\.png" is text, which does not match its \.png extension/,
    );
  });

  it('when a JPEG is named .png, then it is refused as not matching', () => {
    expectFault(
      () => checkAttachment('photo.png', jpeg, defaults),
      'AttachmentContentMismatch',
      /is a JPEG image, which does not match its \.png extension/,
    );
  });

  it('when a PDF is named .docx, then it is refused as not matching', () => {
    expectFault(
      () => checkAttachment('letter.docx', pdf, defaults),
      'AttachmentContentMismatch',
      /which does not match its \.docx extension/,
    );
  });

  it.each([['dll'], ['scr'], ['exe']])(
    'when a .%s file is not an executable, then it is refused as not matching',
    (extension) => {
      expectFault(
        () => checkAttachment(`lib.${extension}`, notes, allowing(extension)),
        'AttachmentContentMismatch',
        new RegExp(`does not match its \\.${extension} extension`),
      );
    },
  );

  it('when an extension promises no signature, then any harmless content is accepted', () => {
    expect(() => checkAttachment('photo.txt', png, defaults)).not.toThrow();
    expect(() => checkAttachment('data.csv', notes, defaults)).not.toThrow();
    expect(() => checkAttachment('blob.dat', hex('0001 0203'), defaults)).not.toThrow();
  });
});

describe('checkAttachment order', () => {
  const disabled = { ...defaults, maxBytes: 0 };

  it('when the name and the size are both wrong, then the name is reported', () => {
    expectFault(() => checkAttachment('../x.exe', windowsExe, disabled), 'BadRequest', /path/);
  });

  it('when the size and the extension are both wrong, then the size is reported', () => {
    expectFault(
      () => checkAttachment('x.exe', windowsExe, disabled),
      'AttachmentTooLarge',
      /disabled/,
    );
  });

  it('when the extension and the content are both wrong, then the extension is reported', () => {
    expectFault(
      () => checkAttachment('x.exe', windowsExe, defaults),
      'AttachmentTypeNotAllowed',
      /\.exe files are not allowed/,
    );
  });
});

describe('checkAttachmentName', () => {
  it('when only the name is known, then size and content are not checked', () => {
    expect(() => checkAttachmentName('notes.txt', { ...defaults, maxBytes: 0 })).not.toThrow();
    expect(() => checkAttachmentName('photo.png', defaults)).not.toThrow();
  });

  it('when the extension is refused, then the name alone is refused', () => {
    expectFault(
      () => checkAttachmentName('setup.EXE', defaults),
      'AttachmentTypeNotAllowed',
      /\.exe files/,
    );
    expectFault(
      () => checkAttachmentName('README', allowing('pdf')),
      'AttachmentTypeNotAllowed',
      /without an extension/,
    );
  });
});

describe('checkAttachment properties', () => {
  const signatures = [windowsExe, elf, machO, script, ole, zip, png, jpeg, gif, webp, pdf, notes];
  const anyName = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc
      .tuple(fc.string(), fc.constantFrom('.png', '.exe', '.docx', '.txt', '.sh', '', '.'))
      .map(([stem, extension]) => stem + extension),
  );
  const anyContent = fc.oneof(
    fc.uint8Array({ maxLength: 5000 }),
    fc
      .tuple(fc.constantFrom(...signatures), fc.uint8Array({ maxLength: 64 }))
      .map(([head, tail]) => Buffer.concat([head, tail])),
  );
  const anyTypes = fc.array(fc.oneof(fc.string(), fc.constantFrom('png', 'exe', 'sh', 'txt')));
  const anyLimits = fc.record({
    maxBytes: fc.nat({ max: 6000 }),
    allowedTypes: anyTypes,
    restrictedTypes: anyTypes,
  });

  it('when given any name, bytes and limits, then it throws nothing but a ServiceFault', () => {
    fc.assert(
      fc.property(anyName, anyContent, anyLimits, (name, content, limits) => {
        try {
          checkAttachment(name, content, limits);
          checkAttachmentName(name, limits);
        } catch (error) {
          return error instanceof ServiceFault;
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});
