/** SHA-256 through WebCrypto, as lower-case hex: one place for the chain, the files and the keys. */

/** SHA-256 of exact bytes, lower-case hex. */
export async function sha256OfBytes(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of a text's UTF-8 bytes, lower-case hex. */
export function sha256OfText(text: string): Promise<string> {
  return sha256OfBytes(new TextEncoder().encode(text));
}
