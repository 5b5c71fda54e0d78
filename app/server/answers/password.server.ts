import { createHmac } from "node:crypto";

/** Letters and digits that cannot be mistaken for one another when read aloud or typed from paper. */
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const GROUPS = 5;
const GROUP_LENGTH = 5;

/**
 * The password of an encrypted archive: 25 characters from 56 (about 145 bits), in groups of five
 * for reading; ASCII only, so every unzip tool derives the same key from it.
 *
 * It is derived, not stored: an HMAC under the server's secret of the case and a random nonce that
 * the person's session holds. The page shows it once; downloading again in the same session gives an
 * archive with the same password, and a new nonce gives a new password. Without the server's secret
 * the nonce reveals nothing.
 */
export function archivePassword(secret: string, requestId: string, nonce: string): string {
  const digest = createHmac("sha256", secret)
    .update(`archive-password\u0000${requestId}\u0000${nonce}`)
    .digest("hex");
  // 256 bits spread over 25 base-56 digits: the remainder's bias is below 2^-100.
  let value = BigInt(`0x${digest}`);
  const base = BigInt(ALPHABET.length);
  const characters: string[] = [];
  for (let i = 0; i < GROUPS * GROUP_LENGTH; i++) {
    characters.push(ALPHABET[Number(value % base)]!);
    value /= base;
  }
  return Array.from({ length: GROUPS }, (_, g) =>
    characters.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join(""),
  ).join("-");
}
