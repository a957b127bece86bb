// The outbox's view of the file system: the few operations it needs, so tests can inject a disk that
// fills up (ENOSPC) or fails (EIO) without mounting anything. The default is node:fs.
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AppendHandle {
  write(data: Buffer): Promise<void>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

export interface OutboxFiles {
  mkdirp(dir: string): Promise<void>;
  list(dir: string): Promise<string[]>;
  read(path: string): Promise<Buffer | undefined>;
  openAppend(path: string): Promise<AppendHandle>;
  /** Write to a temp file, fsync, rename over `path`, fsync the directory: all or nothing. */
  replace(path: string, data: Buffer): Promise<void>;
  remove(path: string): Promise<void>;
}

export const nodeOutboxFiles: OutboxFiles = {
  async mkdirp(dir) {
    await mkdir(dir, { recursive: true });
  },
  async list(dir) {
    return readdir(dir);
  },
  async read(path) {
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  },
  async openAppend(path) {
    const fh = await open(path, 'a');
    return {
      async write(data) {
        let off = 0;
        while (off < data.length) {
          const { bytesWritten } = await fh.write(data, off, data.length - off);
          off += bytesWritten;
        }
      },
      datasync: () => fh.datasync(),
      close: () => fh.close(),
    };
  },
  async replace(path, data) {
    const tmp = `${path}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.write(data);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    const dir = await open(dirname(path) || '.', 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  },
  async remove(path) {
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  },
};

export function segmentName(base: number): string {
  return `seg-${String(base).padStart(16, '0')}.log`;
}

export function parseSegmentName(name: string): number | undefined {
  const m = /^seg-(\d{16})\.log$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

