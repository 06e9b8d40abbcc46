import * as fs from "fs";
import * as path from "path";

/*
 * out/<stack>/ always describes the stack file as it is now, or is absent: a plan is assembled in a scratch
 * directory beside it and moved into place whole, and a failed plan removes the previous one, so a reviewer
 * never reads a plan of a config that no longer plans.
 */

/**
 * Builds out/<stack>/ through `write` and puts it in place of the previous one. `write` fills the directory it
 * is given, which is named after the stack too (a scratch `<root>/<stack>`), so writers that take an output
 * root and add the stack name themselves work unchanged.
 */
export function replaceStackDir(outRoot: string, stack: string, write: (dir: string) => void): string {
  const scratchRoot = path.join(outRoot, `.partial-${process.pid}`);
  const scratch = path.join(scratchRoot, stack);
  const dir = path.join(outRoot, stack);
  fs.rmSync(scratchRoot, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  try {
    write(scratch);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(scratch, dir);
  } finally {
    fs.rmSync(scratchRoot, { recursive: true, force: true });
  }
  return dir;
}

/** Removes out/<stack>/ after a failed plan; true when there was one. */
export function removeStaleStackDir(outRoot: string, stack: string): boolean {
  const dir = path.join(outRoot, stack);
  if (!fs.existsSync(dir)) return false;
  fs.rmSync(dir, { recursive: true, force: true });
  return true;
}
