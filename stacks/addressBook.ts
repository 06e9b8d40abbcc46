import { AddressBook, platformAddressBook } from "../lib/addressBook";
import type { PartialConfig } from "./layerRules/common";

/*
 * Validation asks the address book the program deploys whether an address resolves: the same function over
 * the same settings, built once per config.
 */

const books = new WeakMap<PartialConfig, AddressBook>();

/** The config's address book, or undefined when the agentgateway layer did not parse (already reported). */
export function configAddressBook(c: PartialConfig): AddressBook | undefined {
  const agentgateway = c.agentgateway;
  if (agentgateway === undefined) return undefined;
  let book = books.get(c);
  if (book === undefined) {
    book = platformAddressBook({ agentgateway, llm: c.llm, mcp: c.mcp });
    books.set(c, book);
  }
  return book;
}
