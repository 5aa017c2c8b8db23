/**
 * Cancel a transfer with an AbortSignal: the data connection is cut, ABOR is sent, and the same
 * client goes on working. Usage: cancel.ts URL-of-file
 */
import { Writable } from 'node:stream';
import { connect, parseFtpUrl } from '@ftpkit/client';

export async function cancelAfter(url: string, ms: number): Promise<{ aborted: boolean; pwd: string }> {
  const { path } = parseFtpUrl(url);
  const client = await connect(url);
  try {
    const slowSink = new Writable({ write: (_chunk, _encoding, done) => setTimeout(done, 5) });
    let aborted = false;
    try {
      await client.download(path, slowSink, { signal: AbortSignal.timeout(ms) });
    } catch (error) {
      aborted = (error as { code?: string }).code === 'FTPKIT_ERR_ABORTED';
    }
    return { aborted, pwd: await client.pwd() }; // still usable
  } finally {
    await client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await cancelAfter(process.argv[2]!, 200));
}
