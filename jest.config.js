/** Unit tests and real-engine tests share one runner; real-engine suites carry their own timeouts. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/bin/", "/.work/"],
  transform: { "^.+\\.ts$": "ts-jest" },
};
