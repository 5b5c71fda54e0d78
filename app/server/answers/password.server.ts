import { randomInt } from "node:crypto";

/** Letters and digits that cannot be mistaken for one another when read aloud or typed from paper. */
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const GROUPS = 5;
const GROUP_LENGTH = 5;

/**
 * A password for an encrypted archive: 25 random characters from 56 (about 145 bits), in groups of
 * five for reading. ASCII only, so every unzip tool derives the same key from it.
 */
export function generateArchivePassword(): string {
  return Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join("")).join("-");
}
