/**
 * The month's two claim files as the export buttons and 請求済み write them, with their hashes:
 * the file's own (kept at the close, the auditor's), and that of what the file says of the claim,
 * the 明細 without its 拠点署名 columns, which change as the hub signs entries after the export.
 * 請求済み compares that second hash with the one the last export wrote to the 閲覧記録, so a
 * signature arriving in between is not taken for a case that came in.
 */
import { claimDetailCsv, claimExportFileName, claimSummaryCsv, encodeClaimCsv, type ClaimCsvEncoding } from '../../domain/claim-csv';
import { sha256OfBytes } from '../../domain/claim-close';
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

/** A file's text, and the text of what it says of the claim (no 拠点署名 columns). */
export function claimFileTexts(kind: ClaimFileKind, s: ClaimFileSource): { readonly text: string; readonly content: string } {
  if (kind === 'summary') {
    const text = claimSummaryCsv(s.claim.summary, s.office, s.month);
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

/** The file in `encoding`; throws ClaimCsvError when a text cannot be written in it. */
export async function claimFile(kind: ClaimFileKind, s: ClaimFileSource, encoding: ClaimCsvEncoding): Promise<ClaimFile> {
  const { text, content } = claimFileTexts(kind, s);
  const bytes = encodeClaimCsv(text, encoding);
  const sha256 = await sha256OfBytes(bytes);
  const contentSha256 = content === text ? sha256 : await sha256OfBytes(encodeClaimCsv(content, encoding));
  return { kind, bytes, fileName: claimExportFileName(kind, s.office.officeNumber, s.month, encoding), sha256, contentSha256 };
}
