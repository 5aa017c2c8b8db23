/**
 * Download a whole directory tree over 4 parallel logged-in connections, with tree progress.
 * Usage: parallel-tree.ts URL-of-directory LOCAL-DIR
 */
import { createPool, parseFtpUrl, type TreeResult } from '@ftpkit/client';

export async function mirror(url: string, localDir: string, size = 4): Promise<TreeResult> {
  const { path } = parseFtpUrl(url);
  const pool = createPool(url, { size });
  try {
    return await pool.downloadDir(path || '.', localDir, {
      onProgress: (p) =>
        process.stderr.write(`\r${p.filesDone}/${p.filesTotal} files, ${p.bytes}/${p.bytesTotal} bytes`),
    });
  } finally {
    process.stderr.write('\n');
    await pool.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await mirror(process.argv[2]!, process.argv[3]!));
}
