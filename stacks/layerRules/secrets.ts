import { z } from "zod";
import { dnsLabel } from "../fields";
import { SECRET_REF_PATTERN } from "../secretRef";

/* The secret references of the stack, by name; the fields naming them are found by ../secretFields.ts. */

export const secretsSchema = z.record(
  dnsLabel,
  z.string().regex(SECRET_REF_PATTERN, {
    error: "must be op://<vault>/<item>/[<section>/]<field> or config:<key>",
  }),
);
