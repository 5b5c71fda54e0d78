/**
 * Recall and precision of every store against a sample's answer key: for each person of the key,
 * what `find` returns is compared with the records the key gives them. A record of the person not
 * found lowers recall (a broken promise); a record returned that the key gives to nobody or to
 * someone else lowers precision (a stranger's record: a data breach). Unproven findings are
 * counted apart, because staff check them before anything is released.
 */
import type { Finding } from "../connector";
import type { StoreRegistry } from "../registry.server";
import { type AnswerKey, type AnswerKeyPerson, subjectFromKey } from "./answer-key";

export interface StoreQuality {
  store: string;
  /** Records the key gives the measured people in this store. */
  expected: number;
  /** Of those, found. */
  found: number;
  /** Records returned that the key does not give the person (strangers' records), proven matches. */
  strangers: number;
  /** Strangers' records returned only as unproven matches (staff must check them). */
  strangersUnproven: number;
  /** The person's own records returned as unproven although every identifier in the search was proven. */
  ownUnproven: number;
  recall: number;
  precision: number;
  /** Per person id, the references missed and the strangers' references returned: for a failing test's message. */
  misses: { person: string; missed: string[]; strangers: string[] }[];
  problems: number;
  error: string | null;
}

export async function measureQuality(
  registry: StoreRegistry,
  key: AnswerKey,
  persons: readonly AnswerKeyPerson[] = key.persons,
): Promise<StoreQuality[]> {
  const results: StoreQuality[] = [];
  for (const [store, connector] of registry.connectors) {
    const quality: StoreQuality = {
      store,
      expected: 0,
      found: 0,
      strangers: 0,
      strangersUnproven: 0,
      ownUnproven: 0,
      recall: 1,
      precision: 1,
      misses: [],
      problems: 0,
      error: null,
    };
    try {
      // Every person's search at once, as concurrent gatherings run: a file store's shared pass
      // (ADR 0021) then reads each file once for all of them instead of once per person. Each
      // search still goes through `find` with the person's own subject and gets only its findings.
      const searches = await Promise.all(
        persons.map(async (person) => {
          const returned = new Map<string, Finding>();
          for await (const finding of connector.find(subjectFromKey(person), {
            onReport: (report) => (quality.problems += report.problems.length),
          })) {
            returned.set(finding.ref, finding);
          }
          return { person, returned };
        }),
      );
      for (const { person, returned } of searches) {
        const expected = new Set(person.records.filter((r) => r.store === store).map((r) => r.ref));
        const missed = [...expected].filter((ref) => !returned.has(ref));
        const strangers: string[] = [];
        for (const [ref, finding] of returned) {
          if (expected.has(ref)) {
            if (finding.unproven) quality.ownUnproven++;
          } else if (finding.unproven) quality.strangersUnproven++;
          else strangers.push(ref);
        }
        quality.expected += expected.size;
        quality.found += expected.size - missed.length;
        quality.strangers += strangers.length;
        if (missed.length || strangers.length) quality.misses.push({ person: person.id, missed, strangers });
      }
    } catch (error) {
      quality.error = error instanceof Error ? error.message : String(error);
    }
    quality.recall = quality.expected ? quality.found / quality.expected : 1;
    const returnedProven = quality.found + quality.strangers;
    quality.precision = returnedProven ? quality.found / returnedProven : 1;
    results.push(quality);
  }
  return results;
}
