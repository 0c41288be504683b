/** Small file helpers for assertions over the built site. */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Every file under `root` whose path ends with `suffix`, as absolute paths, sorted. */
export async function listBuiltFiles(root: string, suffix: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

export async function readBuilt(root: string, rel: string): Promise<string> {
  return fs.readFile(path.join(root, rel), 'utf8');
}
