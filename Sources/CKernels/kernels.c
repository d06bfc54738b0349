#include "lesson_kernels.h"

#include <math.h>
#include <string.h>

#if !defined(__x86_64__)
#error "lesson's kernels are written for x86-64"
#endif

// Each instruction set gets its own copy of kernels_body.h.
#define KERNEL(name) name##_sse2
#include "kernels_body.h"
#undef KERNEL

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define KERNEL(name) name##_avx2
#include "kernels_body.h"
#undef KERNEL
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma"))), apply_to = function)
#define KERNEL(name) name##_avx512
#include "kernels_body.h"
#undef KERNEL
#pragma clang attribute pop

typedef struct {
    void (*exp)(const float *, float *, long);
    void (*tanh)(const float *, float *, long);
    void (*sigmoid)(const float *, float *, long);
    double (*softmax_loss)(float *, const float *, long, long, const int32_t *, int, float, float *);
    void (*lstm_activate)(float *, const float *, float, const float *, float *, float *, float *, long, long);
    void (*lstm_differentiate)(const float *, float *, const float *, const float *, const float *, float *, const float *, long, long);
    void (*column_sums)(const float *, long, long, float *);
    void (*axpy)(float, const float *, float *, long);
} kernel_table;

#define TABLE(suffix) { exp_##suffix, tanh_##suffix, sigmoid_##suffix, softmax_loss_##suffix, lstm_activate_##suffix, \
                        lstm_differentiate_##suffix, column_sums_##suffix, axpy_##suffix }

static const kernel_table tables[3] = { TABLE(sse2), TABLE(avx2), TABLE(avx512) };

int lesson_kernels_best_isa(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512vl")) return LESSON_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return LESSON_ISA_AVX2;
    return LESSON_ISA_SSE2;
}

// -1 until first use, then the best the CPU has. Threads that race on the first use
// store the same value; atomics keep that well defined.
static int current = -1;

static const kernel_table *table(void) {
    int isa = __atomic_load_n(&current, __ATOMIC_RELAXED);
    if (isa < 0) {
        isa = lesson_kernels_best_isa();
        __atomic_store_n(&current, isa, __ATOMIC_RELAXED);
    }
    return &tables[isa];
}

int lesson_kernels_isa(void) {
    (void)table();
    return __atomic_load_n(&current, __ATOMIC_RELAXED);
}

int lesson_kernels_use_isa(int isa) {
    if (isa < LESSON_ISA_SSE2 || isa > lesson_kernels_best_isa()) return -1;
    __atomic_store_n(&current, isa, __ATOMIC_RELAXED);
    return 0;
}

const char *lesson_kernels_isa_name(int isa) {
    switch (isa) {
    case LESSON_ISA_AVX512: return "AVX-512";
    case LESSON_ISA_AVX2: return "AVX2";
    default: return "SSE2";
    }
}

void lesson_exp(const float *in, float *out, long count) { table()->exp(in, out, count); }
void lesson_tanh(const float *in, float *out, long count) { table()->tanh(in, out, count); }
void lesson_sigmoid(const float *in, float *out, long count) { table()->sigmoid(in, out, count); }

double lesson_softmax_loss(float *logits, const float *bias, long rows, long width,
                           const int32_t *targets, int gradient, float scale, float *bias_grad) {
    return table()->softmax_loss(logits, bias, rows, width, targets, gradient, scale, bias_grad);
}

void lesson_lstm_activate(float *gates, const float *bias, float forget_bias, const float *c_prev,
                          float *c_new, float *h_new, float *tanh_c, long rows, long units) {
    table()->lstm_activate(gates, bias, forget_bias, c_prev, c_new, h_new, tanh_c, rows, units);
}

void lesson_lstm_differentiate(const float *gates, float *gate_grads, const float *c_prev, const float *tanh_c,
                               const float *dh_carry, float *dc_carry, const float *up, long rows, long units) {
    table()->lstm_differentiate(gates, gate_grads, c_prev, tanh_c, dh_carry, dc_carry, up, rows, units);
}

void lesson_column_sums(const float *m, long rows, long columns, float *out) { table()->column_sums(m, rows, columns, out); }
void lesson_axpy(float a, const float *x, float *y, long count) { table()->axpy(a, x, y, count); }
