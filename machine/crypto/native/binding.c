/* The Node-API face of recover.c: recover(sigs, recids, msgs, out, ok) over Uint8Arrays. */
#include <node_api.h>
#include "zkos_recover.h"

static int bytes_of(napi_env env, napi_value v, unsigned char **data, size_t *len) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  void *p;
  if (napi_get_typedarray_info(env, v, &type, len, &p, &buffer, &offset) != napi_ok || type != napi_uint8_array) return 0;
  *data = p;
  return 1;
}

static napi_value recover(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5], result;
  unsigned char *sigs, *recids, *msgs, *out, *ok;
  size_t ls, lr, lm, lo, lk, n;
  int done = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 5 &&
      bytes_of(env, argv[0], &sigs, &ls) && bytes_of(env, argv[1], &recids, &lr) && bytes_of(env, argv[2], &msgs, &lm) &&
      bytes_of(env, argv[3], &out, &lo) && bytes_of(env, argv[4], &ok, &lk)) {
    n = lr;
    if (ls == 64 * n && lm == 32 * n && lo == 64 * n && lk == n) done = n == 0 || zkos_recover_batch(n, sigs, recids, msgs, out, ok);
  }
  if (!done) {
    napi_throw_type_error(env, NULL, "recover(sigs: 64n bytes, recids: n, msgs: 32n, out: 64n, ok: n)");
    return NULL;
  }
  napi_get_undefined(env, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  if (!zkos_recover_init()) {
    napi_throw_error(env, NULL, "secp256k1 context could not be created");
    return NULL;
  }
  napi_create_function(env, "recover", NAPI_AUTO_LENGTH, recover, NULL, &fn);
  napi_set_named_property(env, exports, "recover", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
