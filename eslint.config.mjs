// Lint: typescript-eslint's recommended type-aware rules over every TypeScript file.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".scratch/**", "dist/**", "node_modules/**", "**/node_modules/**", "programs/**/sdks/**", "test/packaging/consumer/**", "**/*.js", "!bin/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
      // Header and path validation match control characters on purpose.
      "no-control-regex": "off",
    },
  },
  {
    // The bins: plain CommonJS that must parse on the old Node.js they turn away.
    files: ["bin/*.js"],
    languageOptions: {
      ecmaVersion: 2017,
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off", "no-var": "off", "@typescript-eslint/no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
);
