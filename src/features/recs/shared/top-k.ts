/** Indices of the k largest scores, best first, skipping excluded indices; O(n log k) with a min-heap. */
export function topK(scores: Float32Array, k: number, exclude?: (i: number) => boolean): Int32Array {
  const heap = new Int32Array(Math.max(0, Math.min(k, scores.length)));
  let n = 0;
  const less = (a: number, b: number): boolean => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  const siftDown = (start: number): void => {
    let p = start;
    for (;;) {
      const l = 2 * p + 1;
      const r = l + 1;
      let m = p;
      if (l < n && less(heap[l]!, heap[m]!)) m = l;
      if (r < n && less(heap[r]!, heap[m]!)) m = r;
      if (m === p) return;
      const t = heap[p]!;
      heap[p] = heap[m]!;
      heap[m] = t;
      p = m;
    }
  };
  if (heap.length === 0) return heap;
  for (let i = 0; i < scores.length; i++) {
    if (exclude?.(i) || Number.isNaN(scores[i]!)) continue;
    if (n < heap.length) {
      heap[n] = i;
      let c = n++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!less(heap[c]!, heap[p]!)) break;
        const t = heap[p]!;
        heap[p] = heap[c]!;
        heap[c] = t;
        c = p;
      }
    } else if (less(heap[0]!, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const out = Array.from(heap.subarray(0, n)).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return Int32Array.from(out);
}
