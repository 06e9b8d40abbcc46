/** Progress of a plan run, one line per step on stderr (stdout keeps the plan's own output). */
export class Progress {
  private readonly started = Date.now();

  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private readonly now: () => number = Date.now,
  ) {}

  /** Says what is about to happen, runs it, then says what it found and how long it took. */
  async step<T>(label: string, run: () => T | Promise<T>, found: (result: T) => string): Promise<T> {
    const t0 = this.now();
    this.write(`${label} ...`);
    const result = await run();
    this.write(`${label}: ${found(result)} (${seconds(this.now() - t0)})`);
    return result;
  }

  note(line: string): void {
    this.write(line);
  }

  /** Time since the run started. */
  elapsed(): string {
    return seconds(this.now() - this.started);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
