;; Int8 × int16 dot products with WASM SIMD, for catalogue search (see ../int8-kernel.ts).
;; Rows are int8 codes (dims a multiple of 16); the query is int16. Each step loads 16 codes,
;; widens them to two i16x8 halves and multiply-adds against the query with i32x4.dot_i16x8_s.
;; Assembled with wabt: `wat2wasm int8-dot.wat` (SIMD is on by default) (bytes kept in int8-dot.wasm.ts).
(module
  (memory (export "memory") 1)

  ;; One row's dot product: codes at $p, query at $q, $dims codes.
  (func $dot (param $p i32) (param $q i32) (param $dims i32) (result i32)
    (local $j i32) (local $acc v128) (local $v v128)
    (local.set $acc (v128.const i32x4 0 0 0 0))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $j) (local.get $dims)))
        (local.set $v (v128.load (i32.add (local.get $p) (local.get $j))))
        (local.set $acc
          (i32x4.add (local.get $acc)
            (i32x4.dot_i16x8_s
              (i16x8.extend_low_i8x16_s (local.get $v))
              (v128.load (i32.add (local.get $q) (i32.shl (local.get $j) (i32.const 1)))))))
        (local.set $acc
          (i32x4.add (local.get $acc)
            (i32x4.dot_i16x8_s
              (i16x8.extend_high_i8x16_s (local.get $v))
              (v128.load offset=16 (i32.add (local.get $q) (i32.shl (local.get $j) (i32.const 1)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $step)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))

  ;; out[i] = dot(row first+i, query) for i < count (contiguous rows).
  (func (export "scoreRange") (param $codes i32) (param $first i32) (param $count i32) (param $dims i32) (param $q i32) (param $out i32)
    (local $i i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (i32.store
          (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $dot
            (i32.add (local.get $codes) (i32.mul (i32.add (local.get $first) (local.get $i)) (local.get $dims)))
            (local.get $q) (local.get $dims)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out[i] = dot(row idx[i], query) for i < count (rows listed as i32 in memory at $idx).
  (func (export "scoreRows") (param $codes i32) (param $idx i32) (param $count i32) (param $dims i32) (param $q i32) (param $out i32)
    (local $i i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (i32.store
          (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $dot
            (i32.add (local.get $codes)
              (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))) (local.get $dims)))
            (local.get $q) (local.get $dims)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
