import type { identityDe } from "./identity.de";
import { textsOf } from "./texts";

export const identityEn: typeof identityDe = {
  title: "Prove your identity with the online ID card",
  offer: (provider: string) => `Prove your identity with the online ID card through ${provider} (voluntary)`,
  offerAfterFiling: (provider: string) =>
    `If you wish, you can now also prove your name, date of birth and address with the online ID card through ${provider}. We can then also give you data that are stored only under these details.`,
  intro: (provider: string) =>
    `Some data we find only under your name, date of birth or address – for example Melderegister (population register) look-ups in which someone searched for you. We give such data out only once it is certain that they are yours. With the online ID function of your identity card, through ${provider}, you can prove that yourself.`,
  handsOver: (provider: string) =>
    `${provider} sends us your given and family name, your date of birth, your address and the assurance level of the sign-in (eIDAS: low, substantial or high). We show you everything before we use it. We do not keep the sign-in data (tokens).`,
  levels:
    "Name and date of birth count as proven from the assurance level “substantial”, the address only at “high” (online ID card).",
  voluntary:
    "The proof is voluntary. Your request is handled without it too. You keep proving your e-mail address with the code; our staff can also check your name and date of birth against an identity document – a copy is deleted after the check.",
  notForRepresentative: (provider: string, person: string | null) =>
    `You filed this request for ${person ?? "someone else"}. We do not offer the proof with the online ID card through ${provider} for it: it proves who signs in – you, not ${person ?? "the person you act for"}. Instead, our staff check your authority to act (such as the power of attorney or the court appointment) and confirm ${person ? `${person}'s` : "the represented person's"} details against documents you send us or show us. Copies are deleted after the check.`,
  start: (provider: string) => `Continue to ${provider}`,
  receivedTitle: (provider: string) => `What ${provider} sent`,
  receivedIntro: "Please check the details. They apply to your case only once you use them.",
  level: "Assurance level",
  levelNames: textsOf({
    low: "low",
    substantial: "substantial",
    high: "high",
    unknown: "not stated",
  }),
  kinds: textsOf({
    name: "Name",
    "birth-date": "Date of birth",
    "postal-address": "Address",
  }),
  proves: "will be used as proven",
  notProves: "not proven at this assurance level – will not be used",
  differs: (typed: string) =>
    `Difference: you had given “${typed}”. Your entry is not overwritten; both are kept, and our staff see the difference.`,
  confirm: "Use these details",
  discard: "Discard",
  confirmed: (n: number) => (n === 1 ? "One detail is now proven." : `${n} details are now proven.`),
  alreadyProven: "These details were already proven. Your case is unchanged.",
  discarded: "The details sent were discarded. Your case is unchanged.",
  back: "Back to the case",
  unchanged: "Your case is unchanged.",
  errors: textsOf({
    "not-offered": "Proof with the online ID card is not possible for this case.",
    unavailable: "The identity provider cannot be reached at the moment. Please try again later.",
    refused: "You cancelled the sign-in at the identity provider.",
    state:
      "The identity provider's answer does not belong to your sign-in (it was changed or started in another window). Please start the proof again.",
    nonce:
      "The identity provider's answer could not be matched to your sign-in and was discarded. Please start the proof again.",
    code: "The sign-in at the identity provider has expired or was already used. Please start the proof again.",
    invalid: "The identity provider's answer was invalid and was discarded. Please start the proof again.",
    "no-attempt":
      "There is no sign-in under way for this return from the identity provider (or it has expired). Please start the proof again on your case page.",
    "nothing-usable":
      "The identity provider sent nothing that counts as proof at the assurance level reached.",
    "nothing-received": "No details were received. Please start the proof again.",
  }),
  returnTitle: "Return from the identity provider",
  toCases: "To your cases",
  proofSources: textsOf({
    "email-code": "by e-mail code",
    "identity-provider": "with the online ID card",
    "staff-check": "by a check of our staff",
  }),
  provenBy: (source: string) => `proven ${source}`,
  differsMark: "differs from the proof with the online ID card",
  staff: {
    proofBehind: "Proof",
    proofSources: textsOf({
      "email-code": "e-mail code",
      "identity-provider": "identity provider",
      "staff-check": "staff check",
    }),
    levelOf: (level: string) => `assurance level ${level}`,
    differs: "differs from the identity provider's – not overwritten, please clarify",
  },
  privacy: {
    title: "Proof of identity",
    provider: (provider: string) =>
      `Anyone who wishes can prove their name, date of birth and address with the online ID function of the identity card through ${provider}. ${provider} then sends the given and family name, date of birth, address and the assurance level of the sign-in. The person sees the details before they are used; we keep them as proven details of the case, but not the sign-in data (tokens). Legal basis: Art. 6(1)(c), Art. 12(6) GDPR.`,
    none: "Proof through an identity provider (online ID card) is not offered at present.",
    voluntary:
      "The proof is voluntary: the e-mail address is proven with a code; other details can be checked by our staff against an identity document, whose copy is deleted after the check.",
  },
};
