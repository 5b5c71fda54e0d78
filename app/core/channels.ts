/**
 * The ways a case reaches the data centre (requests.channel). "web" is the portal's own form; the
 * others are taken in by staff, who also record by which of them a later demand arrived.
 */
export const channels = ["web", "email", "letter", "fax", "phone", "in-person"] as const;
export type Channel = (typeof channels)[number];

/** What staff take in by hand: every channel but the web form. */
export const staffChannels = [
  "letter",
  "fax",
  "email",
  "phone",
  "in-person",
] as const satisfies readonly Channel[];
export type StaffChannel = (typeof staffChannels)[number];

/** A message of a case, written by the person (added information) or to them. */
export const messageDirections = ["from-person", "to-person"] as const;
export type MessageDirection = (typeof messageDirections)[number];
