import fs from 'node:fs';
import path from 'node:path';

/** The folder, relative to the working directory, where `npm start` keeps what it generated for itself. */
export const LOCAL_STATE_DIR = '.snowgate';

/**
 * The `.snowgate/` folder of a working directory: what `npm start` generated when the environment did not
 * say (encryption key, admin token, the sandbox's identity, where the gateway listens) and every other
 * command reads back, so that a second terminal sees what the running gateway sees. Files are written
 * owner-only (0600, folder 0700): several of them are secrets.
 */
export class LocalState {
  constructor(readonly dir: string) {}

  /** The `.snowgate/` folder of `cwd`. */
  static of(cwd: string): LocalState {
    return new LocalState(path.resolve(cwd, LOCAL_STATE_DIR));
  }

  /** The path of one file, for messages. */
  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** A file's text without surrounding white space, or undefined when it does not exist. */
  read(name: string): string | undefined {
    try {
      return fs.readFileSync(this.file(name), 'utf8').trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Writes a file owner-only (replacing it atomically, so a reader never sees half of it). */
  write(name: string, text: string): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temp = `${this.file(name)}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
    fs.renameSync(temp, this.file(name));
  }

  /** A JSON file's value, or undefined when it does not exist or is not JSON. */
  readJson<T>(name: string): T | undefined {
    const text = this.read(name);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  writeJson(name: string, value: unknown): void {
    this.write(name, JSON.stringify(value, null, 2));
  }
}
