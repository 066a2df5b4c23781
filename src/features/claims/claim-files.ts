/**
 * The month's two claim files as the export buttons and 請求済み write them, with their hashes:
 * the file's own (kept at the close, the auditor's), and that of what the file says of the claim,
 * the 明細 without its 拠点署名 columns, which change as the hub signs entries after the export.
 * 請求済み compares that second hash with the one the last export wrote to the 閲覧記録, so a
 * signature arriving in between is not taken for a case that came in.
 */
import { claimDetailCsv, claimExportFileName, claimSummaryCsv, encodeClaimCsv, type ClaimCsvEncoding } from '../../domain/claim-csv';
import { sha256OfBytes, type MonthClose } from '../../domain/claim-close';
import type { CountersignLookup } from '../../domain/countersign-status';
import type { Office } from '../../domain/emergency-case';
import type { MonthClaim } from './use-claims';

export type ClaimFileKind = 'summary' | 'detail';

export interface ClaimFileSource {
  readonly office: Office;
  readonly month: string;
  readonly claim: Pick<MonthClaim, 'cases' | 'decisions' | 'summary'>;
  readonly claimedIn: ReadonlyMap<string, string>;
  readonly countersign: CountersignLookup;
}

/** The month's 要確認 cases of the office: not in the summary, and its 合計 row says how many. */
export function heldBackCount(claim: Pick<MonthClaim, 'cases' | 'decisions'>): number {
  return claim.cases.filter((c) => claim.decisions.get(c.id)?.status === 'pending').length;
}

/** A file's text, and the text of what it says of the claim (no 拠点署名 columns). */
export function claimFileTexts(kind: ClaimFileKind, s: ClaimFileSource): { readonly text: string; readonly content: string } {
  if (kind === 'summary') {
    const text = claimSummaryCsv(s.claim.summary, s.office, s.month, heldBackCount(s.claim));
    return { text, content: text };
  }
  const detail = (countersign?: CountersignLookup) =>
    claimDetailCsv({ office: s.office, month: s.month, cases: s.claim.cases, decisions: s.claim.decisions, claimedIn: s.claimedIn, ...(countersign ? { countersign } : {}) });
  return { text: detail(s.countersign), content: detail() };
}

export interface ClaimFile {
  readonly kind: ClaimFileKind;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly fileName: string;
  readonly sha256: string;
  /** the SHA-256 of what the file says of the claim, in the same encoding */
  readonly contentSha256: string;
}

/**
 * The file in `encoding`; throws ClaimCsvError when a text cannot be written in it. `current`: today's
 * figures for a month already 請求済み, named apart from the files sent (claimExportFileName).
 */
export async function claimFile(kind: ClaimFileKind, s: ClaimFileSource, encoding: ClaimCsvEncoding, { current = false }: { readonly current?: boolean } = {}): Promise<ClaimFile> {
  const { text, content } = claimFileTexts(kind, s);
  const bytes = encodeClaimCsv(text, encoding);
  const sha256 = await sha256OfBytes(bytes);
  const contentSha256 = content === text ? sha256 : await sha256OfBytes(encodeClaimCsv(content, encoding));
  return { kind, bytes, fileName: claimExportFileName(kind, s.office.officeNumber, s.month, encoding, { current }), sha256, contentSha256 };
}

/**
 * The summary as it was sent, rebuilt from what the close kept (its rows, office and encoding), or
 * null when the bytes do not come out as the kept SHA-256 says (a close from before the file said
 * what it held back, tried too). Only ever the very file sent: never a near copy under its name.
 */
export async function keptSummaryFile(close: MonthClose): Promise<{ readonly bytes: Uint8Array<ArrayBuffer>; readonly fileName: string } | null> {
  const kept = close.body.exports.find((f) => f.kind === 'summary');
  if (kept === undefined) return null;
  const heldBack = close.body.cases.filter((k) => k.status === 'pending').length;
  for (const pending of new Set([heldBack, 0])) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = encodeClaimCsv(claimSummaryCsv(close.body.summary, close.body.office, close.month, pending), close.body.encoding);
    } catch {
      return null;
    }
    if ((await sha256OfBytes(bytes)) === kept.sha256) return { bytes, fileName: kept.fileName };
  }
  return null;
}
