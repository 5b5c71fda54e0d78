import type { Locator, Page } from "playwright-core";

/** The newest mail to this address with this subject on the demo mailbox page; waits for the mail job. */
export async function mailFromMailbox(
  page: Page,
  baseUrl: string,
  to: string,
  subject: string,
): Promise<Locator> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    await page.goto(`${baseUrl}/demo/postfach`);
    const mails = page.locator("article.demo-mail").filter({ hasText: to }).filter({ hasText: subject });
    if ((await mails.count()) > 0) return mails.first();
    await page.waitForTimeout(500);
  }
  throw new Error(`no mail "${subject}" to ${to} in the demo mailbox`);
}

/** The six-digit code of the newest such mail. */
export async function codeFromMailbox(
  page: Page,
  baseUrl: string,
  to: string,
  subject: string,
): Promise<string> {
  const mail = await mailFromMailbox(page, baseUrl, to, subject);
  const code = /(\d{6})/.exec(await mail.locator(".demo-mail__text").innerText())?.[1];
  if (!code) throw new Error(`the mail "${subject}" to ${to} holds no code`);
  return code;
}
