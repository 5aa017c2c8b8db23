/**
 * Resume a download: the local file already holds the first bytes; REST asks the server for the
 * rest, and the file is completed in place. Usage: resume.ts URL-of-file LOCAL-PATH
 */
import { stat } from 'node:fs/promises';
import { connect, parseFtpUrl } from '@ftpkit/client';

export async function resume(url: string, localPath: string): Promise<number> {
  const { path } = parseFtpUrl(url);
  const client = await connect(url);
  try {
    const have = await stat(localPath).then(
      (s) => s.size,
      () => 0,
    );
    const { bytes } = await client.download(path, localPath, { start: have });
    return have + bytes;
  } finally {
    await client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, local] = process.argv.slice(2);
  console.log(await resume(url!, local!));
}
