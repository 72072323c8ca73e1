/*
 * Batch ECDSA public-key recovery on libsecp256k1's own field, group and multiplication code (the
 * copy the `secp256k1` package builds from). Recovering one key costs two inversions, the scalar
 * 1/r and the field 1/z that turns the Jacobian result affine: at this library version about 12 of
 * its ~50 µs. Over a batch, Montgomery's trick shares each: one inversion and three
 * multiplications per key. Everything else is the library's recovery step for step
 * (secp256k1_ecdsa_sig_recover); test/crypto checks every key against @noble/curves.
 */
#include <stdlib.h>
#include <string.h>
#include "src/secp256k1.c"
#include "zkos_recover.h"

static secp256k1_context *zkos_ctx = NULL;

int zkos_recover_init(void) {
  if (zkos_ctx == NULL) zkos_ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
  return zkos_ctx != NULL;
}

/*
 * For each i < n: the 64-byte uncompressed key (x ‖ y, big-endian) that signature sigs[i] = r ‖ s
 * with recovery id recids[i] (0..3) recovers for the 32-byte message hash msgs[i], into out[i], and
 * ok[i] = 1; ok[i] = 0 (out[i] zeroed) when r or s is zero or not below the order, the recid is out
 * of range, x is not on the curve, or the key would be the point at infinity.
 */
int zkos_recover_batch(size_t n, const unsigned char *sigs, const unsigned char *recids, const unsigned char *msgs, unsigned char *out, unsigned char *ok) {
  secp256k1_scalar *rn = malloc(n * sizeof(secp256k1_scalar));
  secp256k1_scalar *acc = malloc(n * sizeof(secp256k1_scalar));
  size_t *valid = malloc(n * sizeof(size_t));
  secp256k1_gej *qj = malloc(n * sizeof(secp256k1_gej));
  secp256k1_ge *q = malloc(n * sizeof(secp256k1_ge));
  size_t i, k, count = 0;
  if (zkos_ctx == NULL || rn == NULL || acc == NULL || valid == NULL || qj == NULL || q == NULL) {
    free(rn); free(acc); free(valid); free(qj); free(q);
    return 0;
  }
  /* Parse; acc[k] is the product of the first k+1 valid r values. */
  for (i = 0; i < n; i++) {
    int over_r = 0, over_s = 0;
    secp256k1_scalar s;
    secp256k1_scalar_set_b32(&rn[i], sigs + 64 * i, &over_r);
    secp256k1_scalar_set_b32(&s, sigs + 64 * i + 32, &over_s);
    ok[i] = !over_r && !over_s && recids[i] <= 3 && !secp256k1_scalar_is_zero(&rn[i]) && !secp256k1_scalar_is_zero(&s);
    if (!ok[i]) continue;
    if (count == 0) acc[0] = rn[i];
    else secp256k1_scalar_mul(&acc[count], &acc[count - 1], &rn[i]);
    valid[count++] = i;
  }
  /* One inversion of the product, then back down: 1/r_k = acc_{k-1} / acc_k, and 1/acc_{k-1} = r_k / acc_k. */
  if (count > 0) {
    secp256k1_scalar inv, r;
    secp256k1_scalar_inverse_var(&inv, &acc[count - 1]);
    for (k = count - 1; k > 0; k--) {
      r = rn[valid[k]];
      secp256k1_scalar_mul(&rn[valid[k]], &acc[k - 1], &inv);
      secp256k1_scalar_mul(&inv, &inv, &r);
    }
    rn[valid[0]] = inv;
  }
  /* The library's recovery: R from r and the recid, then Q = (s/r) R - (z/r) G. */
  for (i = 0; i < n; i++) {
    secp256k1_fe fx;
    secp256k1_ge x;
    secp256k1_gej xj;
    secp256k1_scalar m, s, u1, u2;
    qj[i].infinity = 1;
    if (!ok[i]) continue;
    secp256k1_fe_set_b32(&fx, sigs + 64 * i); /* r < n < p: always a field element */
    if (recids[i] & 2) {
      if (secp256k1_fe_cmp_var(&fx, &secp256k1_ecdsa_const_p_minus_order) >= 0) { ok[i] = 0; continue; }
      secp256k1_fe_add(&fx, &secp256k1_ecdsa_const_order_as_fe);
    }
    if (!secp256k1_ge_set_xo_var(&x, &fx, recids[i] & 1)) { ok[i] = 0; continue; }
    secp256k1_gej_set_ge(&xj, &x);
    secp256k1_scalar_set_b32(&m, msgs + 32 * i, NULL);
    secp256k1_scalar_set_b32(&s, sigs + 64 * i + 32, NULL);
    secp256k1_scalar_mul(&u1, &rn[i], &m);
    secp256k1_scalar_negate(&u1, &u1);
    secp256k1_scalar_mul(&u2, &rn[i], &s);
    secp256k1_ecmult(&zkos_ctx->ecmult_ctx, &qj[i], &xj, &u2, &u1);
    if (secp256k1_gej_is_infinity(&qj[i])) ok[i] = 0;
  }
  /* All to affine with one field inversion (the library's own batch routine skips infinities). */
  secp256k1_ge_set_all_gej_var(q, qj, n);
  for (i = 0; i < n; i++) {
    if (!ok[i]) { memset(out + 64 * i, 0, 64); continue; }
    secp256k1_fe_normalize_var(&q[i].x);
    secp256k1_fe_normalize_var(&q[i].y);
    secp256k1_fe_get_b32(out + 64 * i, &q[i].x);
    secp256k1_fe_get_b32(out + 64 * i + 32, &q[i].y);
  }
  free(rn); free(acc); free(valid); free(qj); free(q);
  return 1;
}
