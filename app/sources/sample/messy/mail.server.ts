/** Messy mailboxes: to be written. */
import type { SampleContext } from "../context";

export async function writeMessyMailboxes(_ctx: SampleContext): Promise<void> {}
