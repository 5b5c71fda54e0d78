import type { Lang } from "#app/i18n";
import { answersDe, type AnswerTexts } from "./texts.de";
import { answersEn } from "./texts.en";

export type { AnswerTexts };

export function answerTexts(lang: Lang): AnswerTexts {
  return lang === "de" ? answersDe : answersEn;
}
