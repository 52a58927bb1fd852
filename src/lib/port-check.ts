import net from 'node:net';
import { ConfigError } from './errors';

/** A listen error as the one line a user needs: which port is taken and which variable (or option) moves it. */
export function listenError(err: unknown, port: number, setting: string): Error {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return new ConfigError(`port ${port} is taken (another snowgate?): stop what listens there or set ${setting} to a free port`);
  if (code === 'EACCES') return new ConfigError(`port ${port} needs privileges to listen on: set ${setting} to a port above 1023`);
  return err as Error;
}

/**
 * Binds `port` on `host` for a moment and lets it go: answers the port (a free one for 0) or throws the one
 * line of {@link listenError}. Done before anything else starts, so a second `npm start` stops before it
 * touches what the first one runs.
 */
export function checkPort(port: number, host: string, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (err) => reject(listenError(err, port, setting)));
    probe.listen(port, host, () => {
      const chosen = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(chosen));
    });
  });
}
