/** Why a file could not be read, in words (no errno jargon, no stack): "no such file", … */
export function fileErrorReason(e: unknown, what = 'file'): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return `is a directory, not a ${what}`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot be read (${code ?? (e as Error).message})`;
  }
}
