import type { Services } from "./services.server";

/** What `npm start` prints after the URL in demo mode: where the data is and how to sign in. */
export async function describeDemo({ config }: Services): Promise<string[]> {
  if (!config.demoMode) return [];
  return [`Demo mode: data in ${config.dataDir} (delete the folder to start afresh).`];
}
