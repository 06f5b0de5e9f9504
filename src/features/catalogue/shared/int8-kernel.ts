/**
 * WASM SIMD scoring of int8 rows against a query (wasm/int8-dot.wat): about 10× the plain JS loop,
 * which is what brings a 100k-item scan inside the latency budget and makes IVF training quick.
 * The rows live in the kernel's own memory (the catalogue's codes are that view, not a copy).
 * Where WASM SIMD is missing (old browsers), `create` returns null and callers use the JS loop.
 */
import { INT8_DOT_WASM_BASE64 } from './wasm/int8-dot.wasm.ts';

interface KernelExports {
  memory: WebAssembly.Memory;
  scoreRange(codes: number, first: number, count: number, dims: number, q: number, out: number): void;
  scoreRows(codes: number, idx: number, count: number, dims: number, q: number, out: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = Uint8Array.from(atob(INT8_DOT_WASM_BASE64), (c) => c.charCodeAt(0));
    // Tiny module: synchronous compilation is allowed on every thread.
    compiled = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

const align16 = (n: number): number => (n + 15) & ~15;

export class Int8DotKernel {
  /** rows × dims codes, in the kernel's memory. */
  readonly codes: Int8Array;
  private readonly query: Int16Array;
  private readonly out: Int32Array;
  private readonly idx: Int32Array;
  private readonly qPtr: number;
  private readonly outPtr: number;
  private readonly idxPtr: number;

  private constructor(
    private readonly fns: KernelExports,
    readonly rows: number,
    readonly dims: number,
  ) {
    const codesBytes = rows * dims;
    this.qPtr = align16(codesBytes);
    this.outPtr = align16(this.qPtr + dims * 2);
    this.idxPtr = align16(this.outPtr + rows * 4);
    const total = this.idxPtr + rows * 4;
    const mem = fns.memory;
    const need = Math.ceil(total / 65536) - mem.buffer.byteLength / 65536;
    if (need > 0) mem.grow(need);
    const buf = mem.buffer;
    this.codes = new Int8Array(buf, 0, codesBytes);
    this.query = new Int16Array(buf, this.qPtr, dims);
    this.out = new Int32Array(buf, this.outPtr, rows);
    this.idx = new Int32Array(buf, this.idxPtr, rows);
  }

  /** A kernel for rows × dims codes, or null when WASM SIMD is unavailable or dims is not a multiple of 16. */
  static create(rows: number, dims: number): Int8DotKernel | null {
    if (rows < 1 || dims < 16 || dims % 16 !== 0) return null;
    const m = module();
    if (!m) return null;
    try {
      const instance = new WebAssembly.Instance(m, {});
      return new Int8DotKernel(instance.exports as unknown as KernelExports, rows, dims);
    } catch {
      return null; // e.g. memory could not grow that far
    }
  }

  /**
   * Stores the query as int16 and returns the factor that turns the kernel's integer dot products
   * into float dot products (query · codes). The largest |value| maps to as many steps as keep
   * every row's sum inside int32.
   */
  setQuery(q: ArrayLike<number>): number {
    let maxAbs = 0;
    for (let j = 0; j < this.dims; j++) maxAbs = Math.max(maxAbs, Math.abs(q[j]!));
    if (maxAbs === 0) {
      this.query.fill(0);
      return 0;
    }
    const steps = Math.min(32767, Math.floor(0x7fffffff / (this.dims * 128)));
    const scale = steps / maxAbs;
    for (let j = 0; j < this.dims; j++) this.query[j] = Math.round(q[j]! * scale);
    return 1 / scale;
  }

  /** Integer dot products of every row with the query (a view, valid until the next call). */
  scoreAll(): Int32Array {
    this.fns.scoreRange(0, 0, this.rows, this.dims, this.qPtr, this.outPtr);
    return this.out;
  }

  /** Copies a row order (e.g. IVF lists) into the kernel for scoreOrdered. */
  setOrder(order: Int32Array): void {
    this.idx.set(order);
  }

  /** Dot products of the rows order[start .. start+count) (from setOrder), into out[0 .. count). */
  scoreOrdered(start: number, count: number): Int32Array {
    this.fns.scoreRows(0, this.idxPtr + start * 4, count, this.dims, this.qPtr, this.outPtr);
    return this.out;
  }
}
