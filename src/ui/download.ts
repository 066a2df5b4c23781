/**
 * Saves bytes as a file through a Blob URL: works offline, and nothing leaves the device except into
 * the file the user asked for.
 */
export function downloadBytes(bytes: Uint8Array, fileName: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download; revoke on the next tick.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
