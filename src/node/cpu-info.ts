/** The CPU clock the compute floor assumes, read from Linux's /proc/cpuinfo (undefined elsewhere). */
import { readFileSync } from 'node:fs';

export function readClockGhz(cpuinfo?: string): number | undefined {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return undefined;
    }
  }
  const mhz = text
    .split('\n')
    .filter((l) => /^cpu MHz\s*:/.test(l))
    .map((l) => Number(l.split(':')[1]))
    .filter((n) => Number.isFinite(n) && n > 0);
  return mhz.length ? Math.round(Math.max(...mhz)) / 1000 : undefined;
}
