/**
 * Unit tests and real-engine tests share one runner; real-engine suites carry their own timeouts. The global set-up
 * compiles the package to dist/ when a source changed (build/ensureBuilt.js), as the engine runs it from there.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/.work/"],
  transform: { "^.+\\.ts$": "ts-jest" },
  // The package's own name, as its programs import it, is its source here.
  moduleNameMapper: { "^amb-cce-connect$": "<rootDir>/index.ts" },
  globalSetup: "<rootDir>/build/jestGlobalSetup.js",
};
