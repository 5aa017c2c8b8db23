/** docs/errors.md lists every error code the packages export (STYLE habit 5). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClientErrorCodes } from '@ftpkit/client';
import { CodecErrorCodes } from '@ftpkit/codec';
import { FILE_SYSTEM_ERROR_TABLE, ServerErrorCodes } from '@ftpkit/server';
import { TransportErrorCodes } from '@ftpkit/transport';
import { describe, expect, it } from 'vitest';

const docs = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'errors.md'),
  'utf8',
);

const tables: Record<string, readonly string[]> = {
  codec: Object.values(CodecErrorCodes),
  transport: Object.values(TransportErrorCodes),
  server: Object.values(ServerErrorCodes),
  'server filesystem': Object.values(FILE_SYSTEM_ERROR_TABLE).map((info) => info.code),
  client: Object.values(ClientErrorCodes),
};

describe('docs/errors.md', () => {
  for (const [name, codes] of Object.entries(tables)) {
    it(`lists every ${name} error code`, () => {
      expect(codes.length).toBeGreaterThan(0);
      const missing = codes.filter((code) => !docs.includes(`\`${code}\``));
      expect(missing).toEqual([]);
    });
  }

  it('every code follows the FTPKIT_ERR_ naming rule', () => {
    for (const code of Object.values(tables).flat()) expect(code).toMatch(/^FTPKIT_ERR_[A-Z0-9_]+$/);
  });
});
