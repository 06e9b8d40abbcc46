// `npm test` runs every suite but the heavy ones (`*.heavy.test.ts`: the layer matrix, long property runs,
// whole-program static analysis, spawned plan commands) on parallel workers; `npm run test:heavy` runs only
// those, and `npm run test:all` runs both. CI runs `npm test` and then `npm run test:heavy`.
const HEAVY = "tests/**/*.heavy.test.ts";
const scope = process.env.TEST_SCOPE ?? "fast";
// Files named on the command line (`npx mocha tests/lib/net.test.ts`) run alone: mocha would add them to `spec`.
const named = process.argv.slice(2).some((arg) => arg.endsWith(".ts"));

module.exports = {
  extension: ["ts"],
  ...(named ? {} : { spec: scope === "heavy" ? [HEAVY] : ["tests/**/*.test.ts"] }),
  ignore: scope === "fast" ? [HEAVY] : [],
  "node-option": ["import=tsx"],
  timeout: 20000,
  reporter: "dot",
  parallel: true,
  jobs: 2,
};
