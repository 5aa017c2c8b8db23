/**
 * Progress events while uploading a local file. Usage: progress.ts LOCAL-FILE URL-of-target
 */
import { connect, parseFtpUrl, type TransferProgress } from '@ftpkit/client';

export async function uploadWithProgress(localPath: string, url: string): Promise<TransferProgress[]> {
  const { path } = parseFtpUrl(url);
  const client = await connect(url, { progressInterval: 50 });
  const events: TransferProgress[] = [];
  try {
    await client.upload(localPath, path, {
      onProgress: (p) => {
        events.push(p);
        const percent = p.total ? ((100 * (p.offset + p.bytes)) / p.total).toFixed(1) : '?';
        process.stderr.write(`\r${p.name}: ${p.bytes} bytes (${percent}%)${p.done ? '\n' : ''}`);
      },
    });
    return events;
  } finally {
    await client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await uploadWithProgress(process.argv[2]!, process.argv[3]!);
}
