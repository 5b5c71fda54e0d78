import type { Services } from "../services.server";
import type { ComplaintDeps } from "./forward.server";

export function complaintDeps(services: Services): ComplaintDeps {
  return {
    db: services.database.db,
    secret: services.config.sessionSecret,
    publicUrl: services.config.publicUrl,
    authorityAddress: services.config.complaintAddress,
  };
}
