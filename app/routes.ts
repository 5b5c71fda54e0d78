import { type RouteConfig, index, route } from "@react-router/dev/routes";
import { staffRoutes } from "./routes/intern.routes";
import { journeyRoutes } from "./routes/journey.routes";

export default [
  index("routes/home.tsx"),
  route("datenschutz", "routes/datenschutz.tsx"),
  // Editorial pages share one module; the route id names the content to show.
  route("barrierefreiheit", "routes/content-page.tsx", { id: "barrierefreiheit" }),
  route("leichte-sprache", "routes/content-page.tsx", { id: "leichte-sprache" }),
  route("impressum", "routes/content-page.tsx", { id: "impressum" }),
  ...journeyRoutes,
  ...staffRoutes,
  route("sprache", "routes/sprache.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
