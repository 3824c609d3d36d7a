import { readFile } from 'node:fs/promises';

/** A chart PNG from disk, or undefined when it is gone (the transport then sends its alt text). */
export async function readImage(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}
