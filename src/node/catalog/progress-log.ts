/**
 * The build's append-only progress file (JSON lines). Each finished item is one line written as a
 * whole, so an interrupted build loses at most the line being written; a resumed build reads the
 * file, ignores a torn last line and skips every item already done. The first line names the
 * model: progress made with another model is set aside, never mixed in.
 */
import { appendFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import type { FacetName } from '../../features/catalogue/shared/catalogue-types.ts';

export interface ProgressHeader {
  kind: 'header';
  modelId: string;
  modelVersion: string;
  variant: string;
}

export interface DoneItem {
  kind: 'done';
  id: string;
  /** base64 of the float32 little-endian embedding. */
  embedding: string;
  /** Top-1 model prediction per head: [label id, score]. */
  predicted: Partial<Record<FacetName, [string, number]>>;
  thumb: { path: string; sha256: string };
  image: { path: string; sha256: string };
}

export interface FailedItem {
  kind: 'failed';
  id: string;
  reason: string;
}

type Line = ProgressHeader | DoneItem | FailedItem;

export function encodeEmbedding(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

export function decodeEmbedding(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float32Array(b.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readFloatLE(i * 4);
  return out;
}

export class ProgressLog {
  readonly done = new Map<string, DoneItem>();
  readonly failed = new Map<string, FailedItem>();
  /** Set when an earlier progress file was for another model and has been set aside. */
  discarded: string | null = null;

  constructor(
    readonly path: string,
    header: Omit<ProgressHeader, 'kind'>,
  ) {
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      let first: Line | null = null;
      const parsed: Line[] = [];
      for (const text of lines) {
        if (!text.trim()) continue;
        try {
          const l = JSON.parse(text) as Line;
          first ??= l;
          parsed.push(l);
        } catch {
          // A torn line from an interrupted write: that item is simply done again.
        }
      }
      const same =
        first?.kind === 'header' && first.modelId === header.modelId && first.modelVersion === header.modelVersion && first.variant === header.variant;
      if (same) {
        for (const l of parsed) {
          if (l.kind === 'done') {
            this.done.set(l.id, l);
            this.failed.delete(l.id);
          } else if (l.kind === 'failed') this.failed.set(l.id, l);
        }
        return;
      }
      this.discarded = `${path}.${Date.now()}.old`;
      renameSync(path, this.discarded);
    }
    appendFileSync(path, JSON.stringify({ kind: 'header', ...header }) + '\n');
  }

  record(line: DoneItem | FailedItem): void {
    appendFileSync(this.path, JSON.stringify(line) + '\n');
    if (line.kind === 'done') this.done.set(line.id, line);
    else this.failed.set(line.id, line);
  }
}
