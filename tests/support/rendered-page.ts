import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";

type StubRoute = Parameters<typeof createRoutesStub>[0][number];

/**
 * A route's page rendered on the server as React Router renders it after its loader (and action)
 * ran: the markup a browser without JavaScript receives.
 */
export function renderedPage(
  route: { id: string; path: string; Component: StubRoute["Component"] },
  url: string,
  data: { loaderData: unknown; actionData?: unknown },
): string {
  const acted = data.actionData !== undefined;
  const Stub = createRoutesStub([{ ...route, ...(acted ? { action: () => data.actionData } : {}) }]);
  return renderToString(
    createElement(Stub, {
      initialEntries: [url],
      hydrationData: {
        loaderData: { [route.id]: data.loaderData },
        ...(acted ? { actionData: { [route.id]: data.actionData } } : {}),
      },
    }),
  );
}
