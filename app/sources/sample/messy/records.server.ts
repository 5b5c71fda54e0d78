/** Messy records management (VISkompakt): to be written. */
import type { SampleContext } from "../context";

export async function writeMessyRecords(_ctx: SampleContext): Promise<void> {}
