/**
 * What a connector's search got, in a form two searches can be compared by: the tests of the shared
 * pass (ADR 0021) prove that a search taking part in a pass gets exactly what it gets alone.
 */
import type { Finding, ScanReport, SourceConnector, Subject } from "#app/sources/connector";

/** A subject with only the identifiers given. */
export const subjectOf = (parts: Partial<Subject>): Subject => ({
  emails: [],
  names: [],
  phones: [],
  userNames: [],
  ips: [],
  postalAddresses: [],
  ...parts,
});

export interface Result {
  findings: Finding[];
  report: ScanReport;
}

/** Findings in reference order and the report with its problems in order: what a search got, however the pass went round. */
export function settled(findings: Finding[], report: ScanReport): Result {
  const key = (p: ScanReport["problems"][number]) => `${p.where} ${p.line ?? ""} ${p.reason}`;
  return {
    findings: [...findings].sort((a, b) => a.ref.localeCompare(b.ref)),
    report: { ...report, problems: [...report.problems].sort((a, b) => key(a).localeCompare(key(b))) },
  };
}

/** One search to its end, settled. */
export async function search(
  connector: SourceConnector,
  subject: Subject,
  signal?: AbortSignal,
): Promise<Result> {
  const findings: Finding[] = [];
  let report: ScanReport | null = null;
  for await (const finding of connector.find(subject, { signal, onReport: (r) => (report = r) }))
    findings.push(finding);
  return settled(findings, report!);
}
