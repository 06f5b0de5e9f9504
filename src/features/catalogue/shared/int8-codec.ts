/**
 * Int8 embedding codec: each row is stored as int8 codes plus one float32 scale (max |x| / 127),
 * so a 256-d embedding costs 260 bytes instead of 1 KiB. Cosine ranking needs only the codes and
 * each row's code norm; the scale is kept so a row can be turned back into (approximately) the
 * model's vector, e.g. for "more like this" or a taste vector.
 */

export interface Int8Rows {
  rows: number;
  dims: number;
  /** rows × dims codes, row-major. */
  codes: Int8Array;
  /** One scale per row: value ≈ code × scale. */
  scales: Float32Array;
}

/** Quantizes rows of a row-major float matrix (symmetric, per-row scale, round to nearest). */
export function quantizeRows(values: Float32Array, dims: number): Int8Rows {
  if (dims < 1 || values.length % dims !== 0) {
    throw new RangeError(`quantizeRows: ${values.length} values do not split into rows of ${dims}.`);
  }
  const rows = values.length / dims;
  const codes = new Int8Array(values.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * dims;
    let maxAbs = 0;
    for (let j = 0; j < dims; j++) {
      const v = Math.abs(values[base + j]!);
      if (!Number.isFinite(v)) throw new RangeError(`quantizeRows: row ${r} has a non-finite value.`);
      if (v > maxAbs) maxAbs = v;
    }
    const scale = maxAbs > 0 ? maxAbs / 127 : 0;
    scales[r] = scale;
    if (scale === 0) continue;
    const inv = 1 / scale;
    for (let j = 0; j < dims; j++) {
      const q = Math.round(values[base + j]! * inv);
      codes[base + j] = q > 127 ? 127 : q < -127 ? -127 : q;
    }
  }
  return { rows, dims, codes, scales };
}

/** The approximate float vector of one row. */
export function dequantizeRow(m: Int8Rows, row: number): Float32Array {
  const out = new Float32Array(m.dims);
  const s = m.scales[row]!;
  const base = row * m.dims;
  for (let j = 0; j < m.dims; j++) out[j] = m.codes[base + j]! * s;
  return out;
}

/** 1 / ‖codes‖ per row (0 for an all-zero row), so cosine = dot(q, codes) × invNorm for a unit query. */
export function inverseCodeNorms(m: Int8Rows): Float32Array {
  const inv = new Float32Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    const base = r * m.dims;
    let ss = 0;
    for (let j = 0; j < m.dims; j++) {
      const c = m.codes[base + j]!;
      ss += c * c;
    }
    inv[r] = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  }
  return inv;
}

/** A copy of `v` scaled to unit length (zeros stay zeros). */
export function normalized(v: ArrayLike<number>): Float32Array {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (ss === 0) return out;
  const inv = 1 / Math.sqrt(ss);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}
