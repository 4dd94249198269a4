/*
 * Node-API glue (ABI-stable: one build serves Node and Electron of any version). Handles are
 * externals owning one LlNet; typed arrays pass without copies. Everything a caller sends is
 * checked here (types, lengths, indices), so a mistake is a JS exception, never a crash.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net.h"

typedef struct Handle {
  LlNet *net;
  napi_ref x_ref, y_ref; /* keep the dataset's arrays alive while the net reads them */
} Handle;

#define CALL(env, expr)                                            \
  do {                                                             \
    if ((expr) != napi_ok) {                                       \
      const napi_extended_error_info *info__ = NULL;               \
      napi_get_last_error_info((env), &info__);                    \
      napi_throw_error((env), NULL, info__ && info__->error_message ? info__->error_message : "layerlab-native: N-API call failed"); \
      return NULL;                                                 \
    }                                                              \
  } while (0)

static napi_value throw_message(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static void release_data(napi_env env, Handle *h) {
  if (h->x_ref) napi_delete_reference(env, h->x_ref);
  if (h->y_ref) napi_delete_reference(env, h->y_ref);
  h->x_ref = h->y_ref = NULL;
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  Handle *h = (Handle *)data;
  release_data(env, h);
  ll_net_free(h->net);
  free(h);
}

/* A typed array argument of the expected type; its data and element count. */
static int typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *length) {
  bool is = false;
  napi_typedarray_type type;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return -1;
  if (napi_get_typedarray_info(env, v, &type, length, data, NULL, NULL) != napi_ok || type != want) return -1;
  return 0;
}

static Handle *handle_of(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok || !data || !((Handle *)data)->net) return NULL;
  return (Handle *)data;
}

static napi_value info(napi_env env, napi_callback_info cb) {
  (void)cb;
  napi_value out, best, supported;
  CALL(env, napi_create_object(env, &out));
  CALL(env, napi_create_string_utf8(env, ll_select_kernels(NULL)->name, NAPI_AUTO_LENGTH, &best));
  CALL(env, napi_create_string_utf8(env, ll_supported_kernels(), NAPI_AUTO_LENGTH, &supported));
  CALL(env, napi_set_named_property(env, out, "kernels", best));
  CALL(env, napi_set_named_property(env, out, "supported", supported));
  return out;
}

/* create(config: Float64Array, kernels: string ('' = best)) → handle */
static napi_value create(napi_env env, napi_callback_info cb) {
  size_t argc = 2;
  napi_value argv[2];
  CALL(env, napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  double *config;
  size_t length;
  if (argc < 2 || typed(env, argv[0], napi_float64_array, (void **)&config, &length)) return throw_message(env, "create(config: Float64Array, kernels: string)");
  char name[32];
  size_t name_length;
  if (napi_get_value_string_utf8(env, argv[1], name, sizeof name, &name_length) != napi_ok) return throw_message(env, "create: kernels must be a string");
  const LlKernels *k = ll_select_kernels(name);
  if (!k) {
    char message[128];
    snprintf(message, sizeof message, "this CPU cannot run the '%s' kernels (it runs: %s)", name, ll_supported_kernels());
    return throw_message(env, message);
  }
  char err[160] = "";
  LlNet *net = ll_net_create(config, length, k, err, sizeof err);
  if (!net) return throw_message(env, err);
  Handle *h = (Handle *)calloc(1, sizeof(Handle));
  if (!h) { ll_net_free(net); return throw_message(env, "out of memory"); }
  h->net = net;
  napi_value out;
  if (napi_create_external(env, h, finalize, NULL, &out) != napi_ok) { finalize(env, h, NULL); return throw_message(env, "create: cannot make a handle"); }
  return out;
}

/* kernelsOf(handle) → the name of the kernel table the net runs */
static napi_value kernels_of(napi_env env, napi_callback_info cb) {
  size_t argc = 1;
  napi_value argv[1], out;
  CALL(env, napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  Handle *h = argc == 1 ? handle_of(env, argv[0]) : NULL;
  if (!h) return throw_message(env, "kernelsOf(handle)");
  CALL(env, napi_create_string_utf8(env, h->net->k->name, NAPI_AUTO_LENGTH, &out));
  return out;
}

/* setData(handle, x: Uint8Array | Float32Array, y: Int32Array, scale: number) */
static napi_value set_data(napi_env env, napi_callback_info cb) {
  size_t argc = 4;
  napi_value argv[4];
  CALL(env, napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  Handle *h = argc == 4 ? handle_of(env, argv[0]) : NULL;
  if (!h) return throw_message(env, "setData(handle, x, y, scale)");
  void *x = NULL;
  size_t x_length = 0, y_length = 0;
  int32_t *y;
  double scale;
  const int u8 = typed(env, argv[1], napi_uint8_array, &x, &x_length) == 0;
  if (!u8 && typed(env, argv[1], napi_float32_array, &x, &x_length)) return throw_message(env, "setData: x must be a Uint8Array or Float32Array");
  if (typed(env, argv[2], napi_int32_array, (void **)&y, &y_length)) return throw_message(env, "setData: y must be an Int32Array");
  if (napi_get_value_double(env, argv[3], &scale) != napi_ok) return throw_message(env, "setData: scale must be a number");
  if (x_length != y_length * (size_t)h->net->input) return throw_message(env, "setData: x does not hold one row of the model's input size per label");
  release_data(env, h);
  CALL(env, napi_create_reference(env, argv[1], 1, &h->x_ref));
  CALL(env, napi_create_reference(env, argv[2], 1, &h->y_ref));
  ll_net_set_data(h->net, u8 ? (const uint8_t *)x : NULL, u8 ? NULL : (const float *)x, y, y_length, scale);
  return NULL;
}

/* weights(handle, op, kernel: Float32Array, bias: Float32Array | null, load: boolean): copies into the net (load) or out of it. */
static napi_value weights(napi_env env, napi_callback_info cb) {
  size_t argc = 5;
  napi_value argv[5];
  CALL(env, napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  Handle *h = argc == 5 ? handle_of(env, argv[0]) : NULL;
  int32_t index;
  bool load;
  if (!h || napi_get_value_int32(env, argv[1], &index) != napi_ok || napi_get_value_bool(env, argv[4], &load) != napi_ok) {
    return throw_message(env, "weights(handle, op, kernel, bias, load)");
  }
  if (index < 0 || index >= h->net->nops || h->net->ops[index].kind != LL_DENSE) return throw_message(env, "weights: not a Dense layer");
  LlOp *op = &h->net->ops[index];
  float *kernel, *bias = NULL;
  size_t kernel_length, bias_length = 0;
  if (typed(env, argv[2], napi_float32_array, (void **)&kernel, &kernel_length) || kernel_length != (size_t)op->in * op->out) {
    return throw_message(env, "weights: the kernel must be a Float32Array of in × units values");
  }
  if (op->bias && (typed(env, argv[3], napi_float32_array, (void **)&bias, &bias_length) || bias_length != (size_t)op->out)) {
    return throw_message(env, "weights: the bias must be a Float32Array of units values");
  }
  if (load) {
    memcpy(op->w, kernel, kernel_length * sizeof(float));
    if (bias) memcpy(op->b, bias, bias_length * sizeof(float));
  } else {
    memcpy(kernel, op->w, kernel_length * sizeof(float));
    if (bias) memcpy(bias, op->b, bias_length * sizeof(float));
  }
  return NULL;
}

/* step(handle, order: Int32Array, start, n, out: Float64Array(2)): one step on rows order[start..start+n). */
static napi_value step(napi_env env, napi_callback_info cb) {
  size_t argc = 5;
  napi_value argv[5];
  CALL(env, napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  Handle *h = argc == 5 ? handle_of(env, argv[0]) : NULL;
  int32_t *order, start, n;
  double *out;
  size_t order_length, out_length;
  if (!h || typed(env, argv[1], napi_int32_array, (void **)&order, &order_length) ||
      napi_get_value_int32(env, argv[2], &start) != napi_ok || napi_get_value_int32(env, argv[3], &n) != napi_ok ||
      typed(env, argv[4], napi_float64_array, (void **)&out, &out_length) || out_length < 2) {
    return throw_message(env, "step(handle, order: Int32Array, start, n, out: Float64Array(2))");
  }
  if (start < 0 || n < 1 || (size_t)start + (size_t)n > order_length) return throw_message(env, "step: the batch runs past the order");
  char err[160] = "";
  if (ll_net_step(h->net, order + start, n, out, err, sizeof err)) return throw_message(env, err);
  return NULL;
}

/* predict(handle, rows: Int32Array, probs: Float32Array(rows × classes)) */
static napi_value predict(napi_env env, napi_callback_info cb) {
  size_t argc = 3;
  napi_value argv[3];
  CALL(env, napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  Handle *h = argc == 3 ? handle_of(env, argv[0]) : NULL;
  int32_t *rows;
  float *probs;
  size_t count, probs_length;
  if (!h || typed(env, argv[1], napi_int32_array, (void **)&rows, &count) ||
      typed(env, argv[2], napi_float32_array, (void **)&probs, &probs_length)) {
    return throw_message(env, "predict(handle, rows: Int32Array, probs: Float32Array)");
  }
  if (probs_length != count * (size_t)h->net->classes) return throw_message(env, "predict: probs must hold rows × classes values");
  char err[160] = "";
  if (ll_net_predict(h->net, rows, (int)count, probs, err, sizeof err)) return throw_message(env, err);
  return NULL;
}

/* dispose(handle): frees the net now rather than at garbage collection. */
static napi_value dispose(napi_env env, napi_callback_info cb) {
  size_t argc = 1;
  napi_value argv[1];
  CALL(env, napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  Handle *h = argc == 1 ? handle_of(env, argv[0]) : NULL;
  if (h) {
    release_data(env, h);
    ll_net_free(h->net);
    h->net = NULL;
  }
  return NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  const napi_property_descriptor props[] = {
    {"info", NULL, info, NULL, NULL, NULL, napi_enumerable, NULL},
    {"create", NULL, create, NULL, NULL, NULL, napi_enumerable, NULL},
    {"kernelsOf", NULL, kernels_of, NULL, NULL, NULL, napi_enumerable, NULL},
    {"setData", NULL, set_data, NULL, NULL, NULL, napi_enumerable, NULL},
    {"weights", NULL, weights, NULL, NULL, NULL, napi_enumerable, NULL},
    {"step", NULL, step, NULL, NULL, NULL, napi_enumerable, NULL},
    {"predict", NULL, predict, NULL, NULL, NULL, napi_enumerable, NULL},
    {"dispose", NULL, dispose, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
