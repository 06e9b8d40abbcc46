import { missingSchemasMessage, schemasDir } from "../../conformance";

/**
 * Registers a mocha suite for `fn` when the upstream schemas are available; otherwise a suite whose single
 * test is skipped with a warning naming the variable to set, so a missing directory never passes silently.
 * Returns the registered suite.
 */
export function describeWithSchemas(title: string, fn: () => void): Mocha.Suite {
  if (schemasDir() !== undefined) return describe(title, fn);
  const message = missingSchemasMessage();
  return describe(title, () => {
    it("needs the upstream schemas", function () {
      console.warn(`${title}: ${message}`);
      this.skip();
    });
  });
}
