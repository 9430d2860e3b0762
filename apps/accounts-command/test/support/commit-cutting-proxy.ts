import net from 'node:net';

/** ReadyForQuery ('Z', length 5): the server sends it after the implicit transaction committed. */
const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5]);

export interface CommitCuttingProxy {
  /** A postgres:// URL for the same database, through the proxy. */
  url: string;
  /**
   * The next statement whose text contains `marker` runs to its end (COMMIT included), then the
   * connection is cut before the client sees the answer.
   */
  cutAfterNext: (marker: string) => void;
  /** How many connections were cut that way. */
  cuts: () => number;
  close: () => Promise<void>;
}

/**
 * A TCP proxy in front of PostgreSQL that can lose the answer of a committed statement: the
 * fault "the connection died between COMMIT and the reply" that no process crash reproduces
 * (a crash kills the client too). It forwards bytes both ways and, when armed, swallows the
 * server's reply to the marked statement up to ReadyForQuery, then destroys both sockets.
 */
export async function startCommitCuttingProxy(databaseUrl: string): Promise<CommitCuttingProxy> {
  const target = new URL(databaseUrl);
  const socketDir = target.searchParams.get('host');
  const port = Number(target.port || 5432);
  const connectUpstream = (): net.Socket =>
    socketDir?.startsWith('/')
      ? net.connect(`${socketDir}/.s.PGSQL.${port}`)
      : net.connect(port, target.hostname || '127.0.0.1');

  let armed: string | undefined;
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = connectUpstream();
    sockets.add(client).add(upstream);
    let cutting = false;
    let swallowed = Buffer.alloc(0);
    const destroy = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed !== undefined && chunk.includes(armed)) {
        armed = undefined;
        cutting = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cutting) return void client.write(chunk);
      swallowed = Buffer.concat([swallowed, chunk]);
      if (swallowed.includes(READY_FOR_QUERY)) {
        cuts++;
        destroy();
      }
    });
    for (const socket of [client, upstream]) {
      socket.on('error', destroy);
      socket.on('close', () => {
        sockets.delete(socket);
        destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  url.searchParams.delete('host');
  return {
    url: url.toString(),
    cutAfterNext: (marker) => void (armed = marker),
    cuts: () => cuts,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
