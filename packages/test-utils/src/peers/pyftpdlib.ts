/**
 * pyftpdlib (Debian's python3-pyftpdlib, run with /usr/bin/python3) as a peer server.
 *
 * Why a script file: pyftpdlib is a library, not a daemon; a few lines of Python configure a
 * DummyAuthorizer user and (for FTPS) TLS_FTPHandler, bind port 0 on loopback and print the port.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificate } from '../certificates.js';
import { tempDir } from '../temp-dir.js';
import { spawnPeer, waitForGreeting } from './process.js';
import { type PeerServer, type PeerServerOptions, peerHandle } from './types.js';

export const PYTHON = '/usr/bin/python3';

const SCRIPT = String.raw`
import sys, json
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.servers import FTPServer
config = json.loads(sys.argv[1])
authorizer = DummyAuthorizer()
authorizer.add_user(config["user"], config["password"], config["root"], perm="elradfmwMT")
if config.get("tls"):
    from pyftpdlib.handlers import TLS_FTPHandler as Handler
    Handler.certfile = config["certfile"]
    Handler.keyfile = config["keyfile"]
    Handler.tls_control_required = False
    Handler.tls_data_required = False
else:
    from pyftpdlib.handlers import FTPHandler as Handler
Handler.authorizer = authorizer
Handler.banner = "pyftpdlib ready"
if config.get("passivePorts"):
    low, high = config["passivePorts"]
    Handler.passive_ports = range(low, high + 1)
server = FTPServer(("127.0.0.1", 0), Handler)
server.max_cons = 0
print(json.dumps({"port": server.address[1]}), flush=True)
server.serve_forever(timeout=0.5, blocking=True, handle_exit=True)
`;

export function pyftpdlibAvailable(): boolean {
  return existsSync(PYTHON) && existsSync('/usr/lib/python3/dist-packages/pyftpdlib');
}

export async function startPyftpdlib(options: PeerServerOptions): Promise<PeerServer> {
  const user = options.user ?? 'ftpkit';
  const password = options.password ?? 'ftpkit-peer-secret';
  const work = await tempDir('ftpkit-pyftpdlib-');
  const script = join(work.path, 'server.py');
  writeFileSync(script, SCRIPT);
  const config: Record<string, unknown> = { user, password, root: options.root, tls: options.tls === true };
  if (options.passivePorts) config.passivePorts = options.passivePorts;
  let ca: string | undefined;
  if (options.tls) {
    const certificate = createCertificate();
    ca = certificate.ca;
    config.certfile = join(work.path, 'cert.pem');
    config.keyfile = join(work.path, 'key.pem');
    writeFileSync(config.certfile as string, certificate.cert);
    writeFileSync(config.keyfile as string, certificate.key);
  }
  const peer = spawnPeer(PYTHON, [script, JSON.stringify(config)]);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pyftpdlib did not start:\n${peer.output()}`)), 15_000);
    let buffered = '';
    peer.child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = /\{"port": (\d+)\}/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    peer.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pyftpdlib exited with ${code}:\n${peer.output()}`));
    });
  }).catch(async (error: unknown) => {
    await peer.stop();
    await work.cleanup();
    throw error;
  });
  await waitForGreeting('127.0.0.1', port, 10_000, peer.child);
  return peerHandle('pyftpdlib', port, { user, password }, options, peer, work, ca);
}
