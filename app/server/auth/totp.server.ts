import { createHash, randomBytes } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";

const totpIssuer = "Rechteportal TLRZ";

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, userName: string): string {
  return generateURI({ issuer: totpIssuer, label: userName, secret });
}

/** The enrolment QR code as inline SVG: no image request, nothing for the CSP to allow. */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/**
 * Checks a code, allowing one period of clock drift. Returns the time step it matched, or null; a
 * step at or before `afterTimeStep` (a code already used) is refused.
 */
export async function verifyTotp(
  secret: string,
  token: string,
  afterTimeStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(token)) return null;
  try {
    const result = await verify({
      secret,
      token,
      epochTolerance: 30,
      ...(afterTimeStep === null ? {} : { afterTimeStep }),
    });
    // RFC 6238 time step of the matched period (30-second periods).
    return result.valid && "epoch" in result ? Math.floor(result.epoch / 30) : null;
  } catch {
    return null;
  }
}

export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const raw = randomBytes(5).toString("hex").toUpperCase();
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(code.trim().toUpperCase()).digest("hex");
}
