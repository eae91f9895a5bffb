import { sep } from 'node:path';

/** Whether a resolved path lies under a resolved folder (not the folder itself); a folder ending in a separator (`/`) is taken as written. */
export function isInside(path: string, folder: string): boolean {
  return path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}
