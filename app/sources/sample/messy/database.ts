/** Messy database stores (retrieval protocols, service desk): to be written. */
import type { SampleContext } from "../context";
import type { DatabaseRows } from "./index.server";

export function messyDatabaseRows(_ctx: SampleContext, _rows: DatabaseRows): void {}
