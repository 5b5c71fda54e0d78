import type { Page } from "playwright-core";

/**
 * What the browser tests of forms watch: what the page sends, when React has taken over its forms,
 * and how an error is tied to its control.
 */

/** Every request of the page that is not a plain GET: what would reach the action. */
export function sentForms(page: Page): string[] {
  const sent: string[] = [];
  page.on("request", (request) => {
    if (request.method() !== "GET") sent.push(`${request.method()} ${request.url()}`);
  });
  return sent;
}

/** Waits until React has taken over the page's forms (their elements carry React's own properties). */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Object.keys(document.querySelector("form[method=post]") ?? {}).some((key) => key.startsWith("__react")),
  );
}

/** The control's error as the page ties it: its text, aria-invalid and aria-describedby. */
export async function tiedError(page: Page, controlSelector: string, errorId: string) {
  const control = page.locator(controlSelector);
  return {
    text: await page.locator(`#${errorId}`).textContent(),
    invalid: await control.getAttribute("aria-invalid"),
    describedBy: (await control.getAttribute("aria-describedby"))?.split(" ") ?? [],
  };
}
