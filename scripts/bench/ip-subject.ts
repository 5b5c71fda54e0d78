import type { Subject } from "#app/sources/connector";

/** A person known only by one proven IP address: the subject of the web-log scan benchmarks. */
export const ipSubject = (ip: string): Subject => ({
  emails: [],
  names: [],
  phones: [],
  userNames: [],
  postalAddresses: [],
  ips: [{ address: ip, proven: true }],
});
