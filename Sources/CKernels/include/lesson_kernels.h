// Element-wise kernels of the engine's training step, compiled for three instruction
// sets (AVX-512, AVX2, SSE2) and chosen at run time for the CPU at hand.
//
// Every kernel computes exactly what the Swift definitions it replaces computed: the same
// operations in the same order, with no fused multiply-adds (-ffp-contract=off), so each
// instruction set gives bit-identical results (the tests hold all three to that).
#ifndef LESSON_KERNELS_H
#define LESSON_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction sets the kernels are compiled for, from the most portable.
enum {
    LESSON_ISA_SSE2 = 0,
    LESSON_ISA_AVX2 = 1,
    LESSON_ISA_AVX512 = 2,
};

/// The widest instruction set this CPU supports.
int lesson_kernels_best_isa(void);
/// The instruction set in use (the best one unless changed).
int lesson_kernels_isa(void);
/// Uses `isa` from now on; returns 0, or -1 (changing nothing) when the CPU lacks it.
/// Not thread-safe: call it before work starts (tests, `lesson bench`).
int lesson_kernels_use_isa(int isa);
/// "AVX-512", "AVX2" or "SSE2".
const char *lesson_kernels_isa_name(int isa);

/// out[i] = e^in[i], tanh(in[i]) or 1 / (1 + e^-in[i]); `in` and `out` may be the same.
void lesson_exp(const float *in, float *out, long count);
void lesson_tanh(const float *in, float *out, long count);
void lesson_sigmoid(const float *in, float *out, long count);

/// Softmax cross-entropy over `rows` rows of `width` logits (bias not yet added):
/// returns the sum of the rows' losses. With `gradient` non-zero each row is replaced by
/// (softmax - onehot(target)) * scale and added to `bias_grad` (which the caller zeroed);
/// otherwise the rows are left holding scratch values. Targets lie in 0..<width.
double lesson_softmax_loss(float *logits, const float *bias, long rows, long width,
                           const int32_t *targets, int gradient, float scale, float *bias_grad);

/// One step of an LSTM layer for `rows` rows of `units` units: `gates` [rows, 4 units]
/// holds x @ Wx + h @ Wh (gates i, j, f, o) and is replaced by the activated gates;
/// c_new = c_prev * sigmoid(f + forget_bias) + sigmoid(i) * tanh(j), h_new = tanh(c_new) * sigmoid(o).
void lesson_lstm_activate(float *gates, const float *bias, float forget_bias, const float *c_prev,
                          float *c_new, float *h_new, float *tanh_c, long rows, long units);

/// The gate gradients of one step: from the activated `gates`, c_prev, tanh(c), the gradient
/// `up` from above and the carries from the step after (dh_carry, dc_carry, [rows, units]),
/// writes `gate_grads` [rows, 4 units] and replaces dc_carry by the carry into the step before.
void lesson_lstm_differentiate(const float *gates, float *gate_grads, const float *c_prev, const float *tanh_c,
                               const float *dh_carry, float *dc_carry, const float *up, long rows, long units);

/// out[j] = sum over rows of m[row, j] (row by row, in order).
void lesson_column_sums(const float *m, long rows, long columns, float *out);

/// y[i] += a * x[i].
void lesson_axpy(float a, const float *x, float *y, long count);

// MARK: bfloat16 matrix products (bf16.c)

/// Whether this CPU has AVX512_BF16 (with AVX-512 F, BW and VL), which the bf16 products need.
int lesson_bf16_supported(void);

/// The bf16 bits of `value`, rounded as the instructions round (nearest even, subnormals to zero).
uint16_t lesson_bf16_from_float(float value);

/// bf16 elements `lesson_bf16_pack` writes for a k x n operand B.
long lesson_bf16_packed_size(long k, long n);

/// Rounds B (k x n; stored [n, k] when `transposed`, row stride `ldb`) to bf16 in the
/// kernels' panel layout, `lesson_bf16_packed_size(k, n)` elements at `out`.
void lesson_bf16_pack(int transposed, long k, long n, const float *b, long ldb, uint16_t *out);

/// C = beta * C + op(A) @ B with A (m x k; stored [k, m] when `transpose_a`) rounded to bf16,
/// B already packed, float32 sums; C is row-major with stride `ldc` and not read when beta
/// is 0. Only callable where `lesson_bf16_supported()`. Returns 0, or -1 when scratch memory
/// could not be had (C untouched).
int lesson_bf16_gemm(int transpose_a, long m, long n, long k, const float *a, long lda, const uint16_t *packed_b,
                     float beta, float *c, long ldc);

/// The same with B as floats (packed into per-thread scratch first).
int lesson_bf16_gemm_unpacked(int transpose_a, int transpose_b, long m, long n, long k, const float *a, long lda,
                              const float *b, long ldb, float beta, float *c, long ldc);

#ifdef __cplusplus
}
#endif

#endif
