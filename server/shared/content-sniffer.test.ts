import { ContentKind, executableKinds, sniffContent } from './content-sniffer';

const hex = (bytes: string): Buffer => Buffer.from(bytes.replace(/ /g, ''), 'hex');
const text = (value: string): Buffer => Buffer.from(value, 'utf8');

describe('sniffContent', () => {
  it.each([
    {
      content: 'a PE executable',
      bytes: hex('4d5a 9000 0300 0000 0400 0000 ffff 0000 b800'),
      kind: 'windows-executable',
    },
    {
      content: 'an ELF binary',
      bytes: hex('7f45 4c46 0201 0100 0000 0000 0000 0000 0300 3e00'),
      kind: 'elf',
    },
    { content: 'a shebang script', bytes: text('#!/bin/sh\necho hello\n'), kind: 'shell-script' },
    {
      content: 'an OLE compound file',
      bytes: hex('d0cf 11e0 a1b1 1ae1 0000 0000 0000 0000 3e00 0300'),
      kind: 'compound-file',
    },
    {
      content: 'a zip local header',
      bytes: hex('504b 0304 1400 0000 0800 0000 2100'),
      kind: 'zip',
    },
    {
      content: 'an empty zip',
      bytes: hex('504b 0506 0000 0000 0000 0000 0000 0000 0000 0000 0000'),
      kind: 'zip',
    },
    { content: 'a PDF', bytes: text('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), kind: 'pdf' },
    { content: 'a PNG', bytes: hex('8950 4e47 0d0a 1a0a 0000 000d 4948 4452'), kind: 'png' },
    { content: 'a JPEG', bytes: hex('ffd8 ffe0 0010 4a46 4946 0001 0100'), kind: 'jpeg' },
    { content: 'a GIF87a', bytes: hex('4749 4638 3761 0100 0100 8000 00'), kind: 'gif' },
    { content: 'a GIF89a', bytes: hex('4749 4638 3961 0100 0100 8000 00'), kind: 'gif' },
    { content: 'a WebP', bytes: hex('5249 4646 2400 0000 5745 4250 5650 3820'), kind: 'webp' },
    { content: 'UTF-8 text', bytes: text('Grüße, 世界 👋\n'), kind: 'text' },
    { content: 'empty', bytes: Buffer.alloc(0), kind: 'text' },
    { content: 'bytes with a NUL', bytes: text('plain\u0000text'), kind: 'unknown' },
    { content: 'invalid UTF-8', bytes: hex('c328 a0a1 fffe'), kind: 'unknown' },
    {
      content: 'a RIFF file that is not WebP',
      bytes: hex('5249 4646 2400 0000 5741 5645 666d 7420'),
      kind: 'unknown',
    },
  ])('when the content is $content, then it is sniffed as $kind', ({ bytes, kind }) => {
    expect(sniffContent(bytes).kind).toBe(kind);
  });

  it.each([
    ['32-bit big-endian', 'feedface'],
    ['32-bit little-endian', 'cefaedfe'],
    ['64-bit big-endian', 'feedfacf'],
    ['64-bit little-endian', 'cffaedfe'],
    ['fat big-endian', 'cafebabe'],
    ['fat little-endian', 'bebafeca'],
    ['fat 64-bit big-endian', 'cafebabf'],
    ['fat 64-bit little-endian', 'bfbafeca'],
  ])('when the content opens with the %s Mach-O magic, then it is Mach-O', (_, magic) => {
    expect(sniffContent(hex(`${magic} 0000 0002 0100 0007 0000 0003`)).kind).toBe('mach-o');
  });

  it('when a Java class file shares the fat Mach-O magic, then it is not taken for Mach-O', () => {
    expect(sniffContent(hex('cafebabe 0000 0041 001d 0a00 0200 03')).kind).toBe('unknown');
  });

  it('when the content is too short to hold a fat header, then it is not taken for Mach-O', () => {
    expect(sniffContent(hex('cafebabe')).kind).toBe('unknown');
  });

  it('when text merely begins with "MZ", then it is text, not an executable', () => {
    expect(sniffContent(text('MZ is where the tour starts.\n')).kind).toBe('text');
  });

  it('when the 4 KB window cuts a character in two, then the content is still text', () => {
    const bytes = text(`${'a'.repeat(4095)}é and more`);
    expect(bytes[4095]).toBe(0xc3);
    expect(sniffContent(bytes).kind).toBe('text');
  });

  it('when a short content ends inside a character, then it is unknown', () => {
    expect(sniffContent(hex('6162 63c3')).kind).toBe('unknown');
  });

  it('when binary bytes come only after the first 4 KB, then the content is text', () => {
    const bytes = Buffer.concat([text('a'.repeat(4096)), hex('00ff fe00')]);
    expect(sniffContent(bytes).kind).toBe('text');
  });

  it.each([
    {
      kind: 'windows-executable',
      bytes: hex('4d5a 9000 0300 0000'),
      extensions: ['exe', 'com', 'dll', 'scr'],
    },
    { kind: 'elf', bytes: hex('7f45 4c46 0201 0100'), extensions: ['elf', 'so', 'o', 'bin'] },
    { kind: 'mach-o', bytes: hex('cffa edfe 0700 0001'), extensions: ['dylib', 'bundle', 'o'] },
    { kind: 'shell-script', bytes: text('#!/usr/bin/env bash\n'), extensions: ['sh'] },
    {
      kind: 'compound-file',
      bytes: hex('d0cf 11e0 a1b1 1ae1'),
      extensions: ['msi', 'doc', 'xls', 'ppt'],
    },
    {
      kind: 'zip',
      bytes: hex('504b 0304 1400'),
      extensions: ['zip', 'docx', 'xlsx', 'pptx', 'odt', 'jar', 'apk'],
    },
    { kind: 'pdf', bytes: text('%PDF-1.4\n'), extensions: ['pdf'] },
    { kind: 'png', bytes: hex('8950 4e47 0d0a 1a0a'), extensions: ['png'] },
    { kind: 'jpeg', bytes: hex('ffd8 ffdb'), extensions: ['jpg', 'jpeg', 'jfif'] },
    { kind: 'gif', bytes: text('GIF89a'), extensions: ['gif'] },
    { kind: 'webp', bytes: hex('5249 4646 1000 0000 5745 4250'), extensions: ['webp'] },
  ])(
    'when the content is $kind, then its extensions are $extensions',
    ({ kind, bytes, extensions }) => {
      expect(sniffContent(bytes)).toEqual({ kind, extensions });
    },
  );

  it('when the content is text or unknown, then no extension is implied', () => {
    expect(sniffContent(text('hello')).extensions).toEqual([]);
    expect(sniffContent(hex('0001 0203')).extensions).toEqual([]);
  });
});

describe('executableKinds', () => {
  it('when asked which kinds are programs, then it names PE, ELF, Mach-O and scripts only', () => {
    expect([...executableKinds].sort()).toEqual(
      [
        ContentKind.Elf,
        ContentKind.MachO,
        ContentKind.ShellScript,
        ContentKind.WindowsExecutable,
      ].sort(),
    );
  });
});
