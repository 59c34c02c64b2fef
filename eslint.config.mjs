import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "bin/",
      "coverage/",
      ".work/",
      "**/*.js",
      "!eslint.config.mjs",
      "!build/*.js",
      "!test/fixtures/**/main.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The build's plain CommonJS files (they run before anything is compiled).
    files: ["build/*.js", "test/fixtures/**/main.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        __filename: "readonly",
      },
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
      eqeqeq: ["error", "always"],
    },
  },
);
