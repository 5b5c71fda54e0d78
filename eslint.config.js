// ESLint for the portal: TypeScript's recommended rules, the rules of hooks, and jsx-a11y's
// recommended accessibility checks (WCAG 2.1 AA is part of every page). Formatting is Prettier's job.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";
import globals from "globals";

export default tseslint.config(
  { ignores: ["build/", ".react-router/", "data/", "tmp/", "node_modules/", "db/migrations/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ["**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      // A scrolling table is a focusable region so that keyboard users can scroll it (WCAG 2.1.1).
      "jsx-a11y/no-noninteractive-tabindex": ["error", { roles: ["region"] }],
    },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Store files are read as bytes: finding and refusing control characters (NUL, form feeds in
      // log lines, C0 codes in form input) is what these expressions are for.
      "no-control-regex": "off",
      // A handler registered before a value exists may read it later (e.g. a close handler).
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // React Router's AppLoadContext is extended by declaration merging, which needs an interface.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
);
