import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generate } from "otplib";

/**
 * The portal accepts each TOTP code once (replay protection), and a refused code counts towards
 * the lockout. Browser tests that sign the same demo account in several times therefore note the
 * time step they used (in the portal's data folder, shared by all test files) and wait for the
 * next step instead of replaying a code.
 */
const stepMs = 30_000;

function stepsFile(dataDir: string): string {
  return path.join(dataDir, "e2e-totp-steps.json");
}

function usedSteps(dataDir: string): Record<string, number> {
  try {
    return JSON.parse(readFileSync(stepsFile(dataDir), "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

/** A code of a time step not used before for this account, waiting for the next step if needed. */
export async function freshTotpCode(
  dataDir: string,
  account: { userName: string; totpSecret: string },
): Promise<string> {
  const last = usedSteps(dataDir)[account.userName] ?? -1;
  let step = Math.floor(Date.now() / stepMs);
  if (step <= last) {
    await new Promise((resolve) => setTimeout(resolve, (last + 1) * stepMs - Date.now() + 500));
    step = Math.floor(Date.now() / stepMs);
  }
  const code = await generate({ secret: account.totpSecret, epoch: step * 30 });
  writeFileSync(stepsFile(dataDir), JSON.stringify({ ...usedSteps(dataDir), [account.userName]: step }));
  return code;
}
