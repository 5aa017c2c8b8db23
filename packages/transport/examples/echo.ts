/**
 * A tiny echo-style control loop on @ftpkit/transport: a server that greets, answers each line
 * with `200 <line>`, upgrades on `AUTH TLS` with a self-signed certificate, says 421 when idle,
 * and a client that talks to it. Run: pnpm example:echo (from packages/transport).
 *
 * Real servers hand each line to the codec's command parser; this one only echoes.
 */
import {
  type ControlChannel,
  connectControl,
  createSelfSignedCertificate,
  createServerSecureContext,
  listenControl,
} from '../src/index.ts';

const pem = createSelfSignedCertificate();
const secureContext = createServerSecureContext(pem);

async function serve(channel: ControlChannel): Promise<void> {
  await channel.writeLine('220 echo ready');
  try {
    for await (const item of channel) {
      if (item.type === 'error') {
        await channel.writeLine('500 Line too long or not UTF-8.');
        continue;
      }
      if (item.type === 'telnet') continue; // e.g. IAC IP / IAC DM before ABOR
      const line = item.text;
      if (line.toUpperCase() === 'AUTH TLS') {
        await channel.writeLine('234 Proceed with negotiation.');
        await channel.upgradeServer({ secureContext });
      } else if (line.toUpperCase() === 'QUIT') {
        await channel.writeLine('221 Bye.');
        await channel.close();
      } else {
        await channel.writeLine(`200 ${line}`);
      }
    }
  } catch (error) {
    console.log('server: session ended with', (error as { code?: string }).code);
  }
}

const listener = await listenControl({
  channel: { idleTimeout: 30_000, onIdle: (c) => c.writeLine('421 Idle timeout.') },
  onConnection: (channel) => void serve(channel),
});
console.log(`listening on ${listener.host}:${listener.port}`);

const client = await connectControl({ host: listener.host, port: listener.port });
const reply = async () => {
  const r = await client.next({ timeout: 5000 });
  if (r.done === true || r.value.type !== 'line') throw new Error('no reply');
  console.log(`client <- ${r.value.text}`);
  return r.value.text;
};
await reply();
await client.writeLine('HELLO plain');
await reply();
await client.writeLine('AUTH TLS');
await reply();
await client.upgradeClient({ ca: pem.cert, host: '127.0.0.1' });
await client.writeLine('HELLO secure');
await reply();
await client.writeLine('QUIT');
await reply();
await client.close();
await listener.close({ destroyConnections: true });
