import type { Config } from "@react-router/dev/config";

export default {
  appDirectory: "app",
  // Server-rendered pages that work without JavaScript; hydration only enhances them.
  ssr: true,
} satisfies Config;
