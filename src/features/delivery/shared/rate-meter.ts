/** Network rate over a sliding window, so the ETA follows the link as it speeds up and slows down. */
export class RateMeter {
  private samples: Array<{ t: number; bytes: number }> = [];
  constructor(private readonly windowMs = 5000) {}

  add(bytes: number, t = Date.now()): void {
    this.samples.push({ t, bytes });
    this.trim(t);
  }

  bytesPerSecond(t = Date.now()): number {
    this.trim(t);
    const first = this.samples[0];
    if (!first) return 0;
    const span = Math.max(250, t - first.t);
    const total = this.samples.reduce((s, x) => s + x.bytes, 0);
    return (total * 1000) / span;
  }

  private trim(t: number): void {
    while (this.samples.length > 0 && this.samples[0]!.t < t - this.windowMs) this.samples.shift();
  }
}
