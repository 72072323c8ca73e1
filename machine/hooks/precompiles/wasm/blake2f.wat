;; BLAKE2b compression function F (RFC 7693 section 3.2) with the EIP-152 interface: a caller-chosen
;; round count, the message schedule SIGMA taken modulo 10, native 64-bit words.
;;
;; Source of machine/hooks/precompiles/blake2f-wasm.ts; rebuild it with
;;   node bin/build-wasm.mjs
;;
;; Memory (one page, exported as "mem"), all words little-endian as in the EIP-152 input:
;;      0 ..   64  h, 8 words: the chain value in; the new chain value out
;;     64 ..  192  m, 16 words: the message block
;;    192 ..  208  t, 2 words: the offset counter
;;    256 ..  416  SIGMA, 10 rows of 16 message indices (bytes, data segment)
;;    512 .. 1792  the schedule: row i holds m[SIGMA[i][0..15]] (10 x 128 bytes), filled per call
;;   1792 .. 1920  v, the 16-word working vector between chunks of rounds
;;
;; The caller writes bytes 4 .. 212 of the precompile input at offset 0 (h, m, t), calls
;; compress(rounds, f) and reads the new h from offset 0. `rounds` is taken as unsigned (a JS
;; number up to 2^32 - 1 arrives as the same 32 bits); f is the final-block flag (0 or 1).
;;
;; compress runs the rounds in chunks through calls to $rounds: V8 first runs a function in its
;; baseline compiler and swaps in the optimized code at the next call, so one long call must be
;; split into calls for the optimized round loop to be used.
(module
  (memory (export "mem") 1)

  ;; Schedule row position (a byte offset into 512 .. 1792) of the next round.
  (global $pos (mut i32) (i32.const 512))

  ;; SIGMA (RFC 7693 section 2.7), one string per row.
  (data (i32.const 256)
    "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f"
    "\0e\0a\04\08\09\0f\0d\06\01\0c\00\02\0b\07\05\03"
    "\0b\08\0c\00\05\02\0f\0d\0a\0e\03\06\07\01\09\04"
    "\07\09\03\01\0d\0c\0b\0e\02\06\05\0a\04\00\0f\08"
    "\09\00\05\07\02\04\0a\0f\0e\01\0b\0c\06\08\03\0d"
    "\02\0c\06\0a\00\0b\08\03\04\0d\07\05\0f\0e\01\09"
    "\0c\05\01\0f\0e\0d\04\0a\00\07\06\03\09\02\08\0b"
    "\0d\0b\07\0e\0c\01\03\09\05\00\0f\04\08\06\02\0a"
    "\06\0f\0e\09\0b\03\00\08\0c\02\0d\07\01\04\0a\05"
    "\0a\02\08\04\07\06\01\05\0f\0b\09\0e\03\0c\0d\00")

  ;; Number of rounds run per call of $rounds.
  (global $CHUNK i32 (i32.const 65536))

  (func (export "compress") (param $n i32) (param $f i32)
    (local $k i32)
    ;; The schedule: 160 words, schedule[k] = m[SIGMA[k]].
    (loop $fill
      (i64.store offset=512
        (i32.shl (local.get $k) (i32.const 3))
        (i64.load offset=64
          (i32.shl (i32.load8_u offset=256 (local.get $k)) (i32.const 3))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $k) (i32.const 160))))
    (global.set $pos (i32.const 512))

    ;; v[0..7] = h; v[8..15] = IV; v[12] ^= t0; v[13] ^= t1; v[14] = ~v[14] if f.
    (i64.store offset=1792 (i32.const 0) (i64.load offset=0 (i32.const 0)))
    (i64.store offset=1800 (i32.const 0) (i64.load offset=8 (i32.const 0)))
    (i64.store offset=1808 (i32.const 0) (i64.load offset=16 (i32.const 0)))
    (i64.store offset=1816 (i32.const 0) (i64.load offset=24 (i32.const 0)))
    (i64.store offset=1824 (i32.const 0) (i64.load offset=32 (i32.const 0)))
    (i64.store offset=1832 (i32.const 0) (i64.load offset=40 (i32.const 0)))
    (i64.store offset=1840 (i32.const 0) (i64.load offset=48 (i32.const 0)))
    (i64.store offset=1848 (i32.const 0) (i64.load offset=56 (i32.const 0)))
    (i64.store offset=1856 (i32.const 0) (i64.const 0x6a09e667f3bcc908))
    (i64.store offset=1864 (i32.const 0) (i64.const 0xbb67ae8584caa73b))
    (i64.store offset=1872 (i32.const 0) (i64.const 0x3c6ef372fe94f82b))
    (i64.store offset=1880 (i32.const 0) (i64.const 0xa54ff53a5f1d36f1))
    (i64.store offset=1888 (i32.const 0)
      (i64.xor (i64.const 0x510e527fade682d1) (i64.load offset=192 (i32.const 0))))
    (i64.store offset=1896 (i32.const 0)
      (i64.xor (i64.const 0x9b05688c2b3e6c1f) (i64.load offset=200 (i32.const 0))))
    (i64.store offset=1904 (i32.const 0)
      (select
        (i64.const 0xe07c265404be4294) ;; ~IV[6]
        (i64.const 0x1f83d9abfb41bd6b) ;; IV[6]
        (local.get $f)))
    (i64.store offset=1912 (i32.const 0) (i64.const 0x5be0cd19137e2179))

    ;; The rounds, CHUNK at a time.
    (block $done
      (loop $chunks
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.gt_u (local.get $n) (global.get $CHUNK))
          (then
            (call $rounds (global.get $CHUNK))
            (local.set $n (i32.sub (local.get $n) (global.get $CHUNK))))
          (else
            (call $rounds (local.get $n))
            (local.set $n (i32.const 0))))
        (br $chunks)))

    ;; h[i] ^= v[i] ^ v[i + 8]
    (i64.store offset=0 (i32.const 0) (i64.xor (i64.load offset=0 (i32.const 0))
      (i64.xor (i64.load offset=1792 (i32.const 0)) (i64.load offset=1856 (i32.const 0)))))
    (i64.store offset=8 (i32.const 0) (i64.xor (i64.load offset=8 (i32.const 0))
      (i64.xor (i64.load offset=1800 (i32.const 0)) (i64.load offset=1864 (i32.const 0)))))
    (i64.store offset=16 (i32.const 0) (i64.xor (i64.load offset=16 (i32.const 0))
      (i64.xor (i64.load offset=1808 (i32.const 0)) (i64.load offset=1872 (i32.const 0)))))
    (i64.store offset=24 (i32.const 0) (i64.xor (i64.load offset=24 (i32.const 0))
      (i64.xor (i64.load offset=1816 (i32.const 0)) (i64.load offset=1880 (i32.const 0)))))
    (i64.store offset=32 (i32.const 0) (i64.xor (i64.load offset=32 (i32.const 0))
      (i64.xor (i64.load offset=1824 (i32.const 0)) (i64.load offset=1888 (i32.const 0)))))
    (i64.store offset=40 (i32.const 0) (i64.xor (i64.load offset=40 (i32.const 0))
      (i64.xor (i64.load offset=1832 (i32.const 0)) (i64.load offset=1896 (i32.const 0)))))
    (i64.store offset=48 (i32.const 0) (i64.xor (i64.load offset=48 (i32.const 0))
      (i64.xor (i64.load offset=1840 (i32.const 0)) (i64.load offset=1904 (i32.const 0)))))
    (i64.store offset=56 (i32.const 0) (i64.xor (i64.load offset=56 (i32.const 0))
      (i64.xor (i64.load offset=1848 (i32.const 0)) (i64.load offset=1912 (i32.const 0))))))

  ;; $n (1 .. CHUNK) rounds on the working vector in memory, from schedule row $pos on.
  (func $rounds (param $n i32)
    (local $p i32)
    (local $v0 i64) (local $v1 i64) (local $v2 i64) (local $v3 i64)
    (local $v4 i64) (local $v5 i64) (local $v6 i64) (local $v7 i64)
    (local $v8 i64) (local $v9 i64) (local $v10 i64) (local $v11 i64)
    (local $v12 i64) (local $v13 i64) (local $v14 i64) (local $v15 i64)
    (local.set $p (global.get $pos))
    (local.set $v0 (i64.load offset=1792 (i32.const 0)))
    (local.set $v1 (i64.load offset=1800 (i32.const 0)))
    (local.set $v2 (i64.load offset=1808 (i32.const 0)))
    (local.set $v3 (i64.load offset=1816 (i32.const 0)))
    (local.set $v4 (i64.load offset=1824 (i32.const 0)))
    (local.set $v5 (i64.load offset=1832 (i32.const 0)))
    (local.set $v6 (i64.load offset=1840 (i32.const 0)))
    (local.set $v7 (i64.load offset=1848 (i32.const 0)))
    (local.set $v8 (i64.load offset=1856 (i32.const 0)))
    (local.set $v9 (i64.load offset=1864 (i32.const 0)))
    (local.set $v10 (i64.load offset=1872 (i32.const 0)))
    (local.set $v11 (i64.load offset=1880 (i32.const 0)))
    (local.set $v12 (i64.load offset=1888 (i32.const 0)))
    (local.set $v13 (i64.load offset=1896 (i32.const 0)))
    (local.set $v14 (i64.load offset=1904 (i32.const 0)))
    (local.set $v15 (i64.load offset=1912 (i32.const 0)))

    (loop $round
      ;; G(a, b, c, d, x, y):
      ;;   a += b + x; d = (d ^ a) >>> 32; c += d; b = (b ^ c) >>> 24;
      ;;   a += b + y; d = (d ^ a) >>> 16; c += d; b = (b ^ c) >>> 63
      ;; with x, y the next two words of the schedule row at $p. a + b + x is computed as (a + x) + b:
      ;; b is the value computed last, so adding it last shortens the chain of dependent operations.

      ;; Columns. G(v0, v4, v8, v12)
      (local.set $v0 (i64.add (i64.add (local.get $v0) (i64.load offset=0 (local.get $p))) (local.get $v4)))
      (local.set $v12 (i64.rotr (i64.xor (local.get $v12) (local.get $v0)) (i64.const 32)))
      (local.set $v8 (i64.add (local.get $v8) (local.get $v12)))
      (local.set $v4 (i64.rotr (i64.xor (local.get $v4) (local.get $v8)) (i64.const 24)))
      (local.set $v0 (i64.add (i64.add (local.get $v0) (i64.load offset=8 (local.get $p))) (local.get $v4)))
      (local.set $v12 (i64.rotr (i64.xor (local.get $v12) (local.get $v0)) (i64.const 16)))
      (local.set $v8 (i64.add (local.get $v8) (local.get $v12)))
      (local.set $v4 (i64.rotr (i64.xor (local.get $v4) (local.get $v8)) (i64.const 63)))
      ;; G(v1, v5, v9, v13)
      (local.set $v1 (i64.add (i64.add (local.get $v1) (i64.load offset=16 (local.get $p))) (local.get $v5)))
      (local.set $v13 (i64.rotr (i64.xor (local.get $v13) (local.get $v1)) (i64.const 32)))
      (local.set $v9 (i64.add (local.get $v9) (local.get $v13)))
      (local.set $v5 (i64.rotr (i64.xor (local.get $v5) (local.get $v9)) (i64.const 24)))
      (local.set $v1 (i64.add (i64.add (local.get $v1) (i64.load offset=24 (local.get $p))) (local.get $v5)))
      (local.set $v13 (i64.rotr (i64.xor (local.get $v13) (local.get $v1)) (i64.const 16)))
      (local.set $v9 (i64.add (local.get $v9) (local.get $v13)))
      (local.set $v5 (i64.rotr (i64.xor (local.get $v5) (local.get $v9)) (i64.const 63)))
      ;; G(v2, v6, v10, v14)
      (local.set $v2 (i64.add (i64.add (local.get $v2) (i64.load offset=32 (local.get $p))) (local.get $v6)))
      (local.set $v14 (i64.rotr (i64.xor (local.get $v14) (local.get $v2)) (i64.const 32)))
      (local.set $v10 (i64.add (local.get $v10) (local.get $v14)))
      (local.set $v6 (i64.rotr (i64.xor (local.get $v6) (local.get $v10)) (i64.const 24)))
      (local.set $v2 (i64.add (i64.add (local.get $v2) (i64.load offset=40 (local.get $p))) (local.get $v6)))
      (local.set $v14 (i64.rotr (i64.xor (local.get $v14) (local.get $v2)) (i64.const 16)))
      (local.set $v10 (i64.add (local.get $v10) (local.get $v14)))
      (local.set $v6 (i64.rotr (i64.xor (local.get $v6) (local.get $v10)) (i64.const 63)))
      ;; G(v3, v7, v11, v15)
      (local.set $v3 (i64.add (i64.add (local.get $v3) (i64.load offset=48 (local.get $p))) (local.get $v7)))
      (local.set $v15 (i64.rotr (i64.xor (local.get $v15) (local.get $v3)) (i64.const 32)))
      (local.set $v11 (i64.add (local.get $v11) (local.get $v15)))
      (local.set $v7 (i64.rotr (i64.xor (local.get $v7) (local.get $v11)) (i64.const 24)))
      (local.set $v3 (i64.add (i64.add (local.get $v3) (i64.load offset=56 (local.get $p))) (local.get $v7)))
      (local.set $v15 (i64.rotr (i64.xor (local.get $v15) (local.get $v3)) (i64.const 16)))
      (local.set $v11 (i64.add (local.get $v11) (local.get $v15)))
      (local.set $v7 (i64.rotr (i64.xor (local.get $v7) (local.get $v11)) (i64.const 63)))

      ;; Diagonals. G(v0, v5, v10, v15)
      (local.set $v0 (i64.add (i64.add (local.get $v0) (i64.load offset=64 (local.get $p))) (local.get $v5)))
      (local.set $v15 (i64.rotr (i64.xor (local.get $v15) (local.get $v0)) (i64.const 32)))
      (local.set $v10 (i64.add (local.get $v10) (local.get $v15)))
      (local.set $v5 (i64.rotr (i64.xor (local.get $v5) (local.get $v10)) (i64.const 24)))
      (local.set $v0 (i64.add (i64.add (local.get $v0) (i64.load offset=72 (local.get $p))) (local.get $v5)))
      (local.set $v15 (i64.rotr (i64.xor (local.get $v15) (local.get $v0)) (i64.const 16)))
      (local.set $v10 (i64.add (local.get $v10) (local.get $v15)))
      (local.set $v5 (i64.rotr (i64.xor (local.get $v5) (local.get $v10)) (i64.const 63)))
      ;; G(v1, v6, v11, v12)
      (local.set $v1 (i64.add (i64.add (local.get $v1) (i64.load offset=80 (local.get $p))) (local.get $v6)))
      (local.set $v12 (i64.rotr (i64.xor (local.get $v12) (local.get $v1)) (i64.const 32)))
      (local.set $v11 (i64.add (local.get $v11) (local.get $v12)))
      (local.set $v6 (i64.rotr (i64.xor (local.get $v6) (local.get $v11)) (i64.const 24)))
      (local.set $v1 (i64.add (i64.add (local.get $v1) (i64.load offset=88 (local.get $p))) (local.get $v6)))
      (local.set $v12 (i64.rotr (i64.xor (local.get $v12) (local.get $v1)) (i64.const 16)))
      (local.set $v11 (i64.add (local.get $v11) (local.get $v12)))
      (local.set $v6 (i64.rotr (i64.xor (local.get $v6) (local.get $v11)) (i64.const 63)))
      ;; G(v2, v7, v8, v13)
      (local.set $v2 (i64.add (i64.add (local.get $v2) (i64.load offset=96 (local.get $p))) (local.get $v7)))
      (local.set $v13 (i64.rotr (i64.xor (local.get $v13) (local.get $v2)) (i64.const 32)))
      (local.set $v8 (i64.add (local.get $v8) (local.get $v13)))
      (local.set $v7 (i64.rotr (i64.xor (local.get $v7) (local.get $v8)) (i64.const 24)))
      (local.set $v2 (i64.add (i64.add (local.get $v2) (i64.load offset=104 (local.get $p))) (local.get $v7)))
      (local.set $v13 (i64.rotr (i64.xor (local.get $v13) (local.get $v2)) (i64.const 16)))
      (local.set $v8 (i64.add (local.get $v8) (local.get $v13)))
      (local.set $v7 (i64.rotr (i64.xor (local.get $v7) (local.get $v8)) (i64.const 63)))
      ;; G(v3, v4, v9, v14)
      (local.set $v3 (i64.add (i64.add (local.get $v3) (i64.load offset=112 (local.get $p))) (local.get $v4)))
      (local.set $v14 (i64.rotr (i64.xor (local.get $v14) (local.get $v3)) (i64.const 32)))
      (local.set $v9 (i64.add (local.get $v9) (local.get $v14)))
      (local.set $v4 (i64.rotr (i64.xor (local.get $v4) (local.get $v9)) (i64.const 24)))
      (local.set $v3 (i64.add (i64.add (local.get $v3) (i64.load offset=120 (local.get $p))) (local.get $v4)))
      (local.set $v14 (i64.rotr (i64.xor (local.get $v14) (local.get $v3)) (i64.const 16)))
      (local.set $v9 (i64.add (local.get $v9) (local.get $v14)))
      (local.set $v4 (i64.rotr (i64.xor (local.get $v4) (local.get $v9)) (i64.const 63)))

      ;; Next schedule row, 9 wrapping to 0.
      (local.set $p (i32.add (local.get $p) (i32.const 128)))
      (local.set $p
        (select (i32.const 512) (local.get $p) (i32.eq (local.get $p) (i32.const 1792))))
      (br_if $round (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))

    (global.set $pos (local.get $p))
    (i64.store offset=1792 (i32.const 0) (local.get $v0))
    (i64.store offset=1800 (i32.const 0) (local.get $v1))
    (i64.store offset=1808 (i32.const 0) (local.get $v2))
    (i64.store offset=1816 (i32.const 0) (local.get $v3))
    (i64.store offset=1824 (i32.const 0) (local.get $v4))
    (i64.store offset=1832 (i32.const 0) (local.get $v5))
    (i64.store offset=1840 (i32.const 0) (local.get $v6))
    (i64.store offset=1848 (i32.const 0) (local.get $v7))
    (i64.store offset=1856 (i32.const 0) (local.get $v8))
    (i64.store offset=1864 (i32.const 0) (local.get $v9))
    (i64.store offset=1872 (i32.const 0) (local.get $v10))
    (i64.store offset=1880 (i32.const 0) (local.get $v11))
    (i64.store offset=1888 (i32.const 0) (local.get $v12))
    (i64.store offset=1896 (i32.const 0) (local.get $v13))
    (i64.store offset=1904 (i32.const 0) (local.get $v14))
    (i64.store offset=1912 (i32.const 0) (local.get $v15)))
)
