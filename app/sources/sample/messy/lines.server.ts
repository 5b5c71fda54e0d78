/** Messy line stores (web logs, login logs, call records): to be written. */
import type { SampleContext } from "../context";

export async function writeMessyLineStores(_ctx: SampleContext): Promise<void> {}
