import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSource } from '../../src/parse/read-source.js';

const dir = mkdtempSync(join(tmpdir(), 'invokeguard-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(bytes: Buffer | string, maxBytes?: number) {
  const file = join(dir, `f-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, bytes);
  return readSource(file, 'shown.yaml', maxBytes);
}

const BOM = '\uFEFF';

describe('readSource', () => {
  it('reads UTF-8 text as it is, non-ASCII included', async () => {
    expect(await read('A: 1\nB: é€😀\n')).toEqual({ text: 'A: 1\nB: é€😀\n' });
  });

  it('drops a leading BOM (TextDecoder drops one, the reader a second)', async () => {
    expect(await read(`${BOM}A: 1\n`)).toEqual({ text: 'A: 1\n' });
    expect(await read(`${BOM}${BOM}A: 1\n`)).toEqual({ text: 'A: 1\n' });
    expect(await read(`A: ${BOM}\n`)).toEqual({ text: `A: ${BOM}\n` });
  });

  it('keeps a U+FFFD written in the file (valid UTF-8) as text', async () => {
    expect(await read('A: \uFFFD\n')).toEqual({ text: 'A: \uFFFD\n' });
  });

  it('reports invalid UTF-8 at its line', async () => {
    const result = await read(Buffer.concat([Buffer.from('A: 1\nB: '), Buffer.from([0xe9, 0x0a]), Buffer.from('C: 2\n')]));
    expect(result).toEqual({ error: { message: 'file is not valid UTF-8; not analysed', range: { file: 'shown.yaml', line: 2, column: 1, endLine: 2, endColumn: 1 } } });
    // An encoded surrogate and an overlong form are invalid too.
    expect(await read(Buffer.from([0x41, 0xed, 0xa0, 0x80]))).toHaveProperty('error.message', 'file is not valid UTF-8; not analysed');
    expect(await read(Buffer.from([0x41, 0xc0, 0xaf]))).toHaveProperty('error.message', 'file is not valid UTF-8; not analysed');
  });

  it('calls a NUL in the first 8 KiB binary; a later one is text', async () => {
    expect(await read('A: 1\n\0')).toHaveProperty('error.message', 'binary file (contains NUL bytes); not analysed');
    const late = `${'#'.repeat(9000)}\n\0\n`;
    expect(await read(late)).toEqual({ text: late });
  });

  it('reads an empty file as empty text, and a file past the 4 KiB buffer pool whole', async () => {
    expect(await read('')).toEqual({ text: '' });
    const large = `A: ${'x'.repeat(100_000)}\n`;
    expect(await read(large)).toEqual({ text: large });
  });

  it('refuses a file over the size limit before reading it', async () => {
    expect(await read('A: 1\n', 3)).toHaveProperty('error.message', 'file is 5 bytes, over the 3-byte limit; not analysed');
    expect(await read('x'.repeat(200_000), 100_000)).toHaveProperty('error.message', 'file is 200000 bytes, over the 100000-byte limit; not analysed');
  });

  it('reads files on either side of the one-read chunk (64 KiB) whole, one after another, each its own text', async () => {
    const sizes = [65_535, 65_536, 65_537, 10, 131_072];
    const texts = sizes.map((size, i) => `${String.fromCharCode(97 + i)}${'é'.repeat(Math.floor((size - 2) / 2))}\n`.slice(0, size));
    for (const text of texts) expect(await read(text)).toEqual({ text });
    // A multi-byte character cut by the chunk's end is still read whole (the size decides, not the chunk).
    const straddling = `${'a'.repeat(65_535)}é${'b'.repeat(10)}`;
    expect(await read(straddling)).toEqual({ text: straddling });
    const invalidLate = Buffer.concat([Buffer.from(`${'a\n'.repeat(40_000)}`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect(await read(invalidLate)).toEqual({ error: { message: 'file is not valid UTF-8; not analysed', range: { file: 'shown.yaml', line: 40_001, column: 1, endLine: 40_001, endColumn: 1 } } });
  });
});
