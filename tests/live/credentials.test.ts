import { strict as assert } from "assert";
import { credential } from "../../live/credentials";

describe("live/credentials", () => {
  const op = async (ref: string) => `from-1password:${ref}`;

  it("takes the environment variable first, then the stack's 1Password reference", async () => {
    assert.equal(
      await credential(
        { env: "BIGIP_USER", ref: "op://rooster/bigip/username" },
        { BIGIP_USER: "admin" },
        op,
      ),
      "admin",
    );
    assert.equal(
      await credential({ env: "BIGIP_USER", ref: "op://rooster/bigip/username" }, {}, op),
      "from-1password:op://rooster/bigip/username",
    );
  });

  it("names the variable to set when neither can be read", async () => {
    await assert.rejects(
      credential({ env: "BIGIP_PORT" }, {}, op),
      /set BIGIP_PORT \(the stack names no secret/,
    );
    await assert.rejects(
      credential({ env: "X", ref: "config:bigipPassword" }, {}, op),
      /set X \(config:bigipPassword needs the Pulumi CLI\)/,
    );
  });
});
