// Matrix products with bfloat16 inputs and float32 accumulation, on AVX512_BF16's
// VDPBF16PS: each 32-bit lane multiplies two pairs of bf16 values and adds both products
// to a float32 accumulator.
//
// C[m, n] = beta * C + op(A)[m, k] @ B[k, n], with A and B rounded to bf16 (round to
// nearest even; subnormals flushed to zero, as the instructions do) and every sum in float32.
//
// Layouts:
//   A is converted row by row into bf16 [m rounded up to 12][k rounded up to even], so the
//   pair (A[i][2p], A[i][2p+1]) is one 32-bit word the kernel broadcasts.
//   B is packed into panels of 32 columns: panel q, pair p holds 64 bf16 values, first the
//   16 columns 32q..32q+15 as (B[2p][j], B[2p+1][j]) pairs, then the next 16.
// The micro-kernel keeps a 12 x 32 block of C in 24 registers and walks k in pairs.
#include "lesson_kernels.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#define MR 12
#define NR 32
// Pairs of k per block: 12 rows of A (12 KB) and the B panels of a column block stay in cache.
#define KC_PAIRS 256
// Columns per block: 256 columns x 512 k of packed B is 256 KB, within L2.
#define NC 256

int lesson_bf16_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bf16");
}

/// float -> bf16 bits the way VCVTNEPS2BF16 rounds: nearest even, subnormals to zero, NaN quiet.
static inline uint16_t to_bf16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, 4);
    const uint32_t exponent = bits & 0x7F800000u;
    if (exponent == 0) return (uint16_t)((bits >> 16) & 0x8000u);
    if (exponent == 0x7F800000u && (bits & 0x007FFFFFu)) return (uint16_t)((bits >> 16) | 0x0040u);
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

uint16_t lesson_bf16_from_float(float value) { return to_bf16(value); }

long lesson_bf16_packed_size(long k, long n) {
    const long pairs = (k + 1) / 2;
    const long panels = (n + NR - 1) / NR;
    return panels * pairs * 2 * NR;
}

/// Scalar packing of panels `first_panel`..< of B (the vector code handles what it can first).
static void pack_b_scalar(int transposed, long k, long n, const float *b, long ldb, uint16_t *out, long first_pair) {
    const long pairs = (k + 1) / 2;
    const long panels = (n + NR - 1) / NR;
    for (long q = 0; q < panels; q++) {
        uint16_t *panel = out + q * pairs * 2 * NR;
        for (long p = first_pair; p < pairs; p++) {
            uint16_t *slot = panel + p * 2 * NR;
            for (long jj = 0; jj < NR; jj++) {
                const long j = q * NR + jj;
                const long k0 = 2 * p, k1 = 2 * p + 1;
                float lo = 0, hi = 0;
                if (j < n) {
                    lo = transposed ? b[j * ldb + k0] : b[k0 * ldb + j];
                    if (k1 < k) hi = transposed ? b[j * ldb + k1] : b[k1 * ldb + j];
                }
                slot[2 * jj] = to_bf16(lo);
                slot[2 * jj + 1] = to_bf16(hi);
            }
        }
    }
}


/// Thread-local scratch for the packed operands, grown as needed and kept for the thread's life.
static _Thread_local uint16_t *scratch_a = NULL, *scratch_b = NULL;
static _Thread_local size_t scratch_a_size = 0, scratch_b_size = 0;

static uint16_t *scratch(uint16_t **buffer, size_t *size, size_t elements) {
    if (elements > *size) {
        free(*buffer);
        size_t bytes = (elements * 2 + 63) / 64 * 64;
        *buffer = aligned_alloc(64, bytes);
        *size = *buffer ? elements : 0;
    }
    return *buffer;
}

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))), apply_to = function)

/// Lane order that interleaves the 16 values of one row (lanes 0-15) with the 16 of the
/// next (lanes 16-31) into pairs.
static inline __m512i interleave_pairs(void) {
    return _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
                            23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
}

void lesson_bf16_pack(int transposed, long k, long n, const float *b, long ldb, uint16_t *out) {
    const long pairs = (k + 1) / 2;
    const long panels = (n + NR - 1) / NR;
    if (transposed) {
        // Row j of storage holds column j of B: 32 consecutive k are 16 pairs, converted at
        // once, then stored to their 16 pair slots of column j.
        const long vector_pairs = (k / 32) * 16;
        for (long j = 0; j < panels * NR; j++) {
            const long q = j / NR, jj = j % NR;
            uint32_t *column = (uint32_t *)(out + q * pairs * 2 * NR) + jj;
            if (j >= n) {
                for (long p = 0; p < vector_pairs; p++) column[p * NR] = 0;
                continue;
            }
            const float *row = b + j * ldb;
            for (long p = 0; p < vector_pairs; p += 16) {
                const __m512 lo = _mm512_loadu_ps(row + 2 * p), hi = _mm512_loadu_ps(row + 2 * p + 16);
                uint32_t words[16];
                // cvtne2ps puts `hi` in the upper half: the 32 values in k order, pairs in place.
                _mm512_storeu_si512((void *)words, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
                for (int t = 0; t < 16; t++) column[(p + t) * NR] = words[t];
            }
        }
        pack_b_scalar(transposed, k, n, b, ldb, out, vector_pairs);
        return;
    }
    // Rows 2p and 2p+1 of B, 16 columns at a time: convert both, interleave into pairs.
    const __m512i order = interleave_pairs();
    const long full_pairs = k / 2;
    for (long q = 0; q < panels; q++) {
        uint16_t *panel = out + q * pairs * 2 * NR;
        for (long half = 0; half < 2; half++) {
            const long j = q * NR + half * 16;
            const long cols = n - j >= 16 ? 16 : (n - j > 0 ? n - j : 0);
            const __mmask16 mask = cols == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << cols) - 1);
            for (long p = 0; p < full_pairs; p++) {
                const __m512 r0 = _mm512_maskz_loadu_ps(mask, b + (2 * p) * ldb + j);
                const __m512 r1 = _mm512_maskz_loadu_ps(mask, b + (2 * p + 1) * ldb + j);
                const __m512i both = (__m512i)_mm512_cvtne2ps_pbh(r1, r0);
                _mm512_storeu_si512((void *)(panel + p * 2 * NR + half * 32), _mm512_permutexvar_epi16(order, both));
            }
        }
    }
    pack_b_scalar(transposed, k, n, b, ldb, out, full_pairs);
}

/// A (m x k, transposed or not) into bf16 rows of `stride` (k rounded up to even), with
/// zero rows up to a multiple of MR.
static void pack_a(int transposed, long m, long k, const float *a, long lda, uint16_t *out, long stride) {
    const long rows = (m + MR - 1) / MR * MR;
    for (long i = 0; i < rows; i++) {
        uint16_t *row = out + i * stride;
        if (i >= m) {
            memset(row, 0, (size_t)stride * 2);
            continue;
        }
        long kk = 0;
        if (!transposed) {
            const float *source = a + i * lda;
            for (; kk + 16 <= k; kk += 16) {
                _mm256_storeu_si256((__m256i *)(row + kk), (__m256i)_mm512_cvtneps_pbh(_mm512_loadu_ps(source + kk)));
            }
        }
        for (; kk < k; kk++) row[kk] = to_bf16(transposed ? a[kk * lda + i] : a[i * lda + kk]);
        if (stride > k) row[k] = 0;
    }
}

/// C[rows x cols] (rows <= 12, cols <= 32) from `pairs` pairs of k: A rows at `a` (stride in
/// bf16 elements), B from one panel at `b`. With `first`, C = beta * C + A B (C not read when
/// beta is 0); otherwise C += A B.
static void micro_kernel(long pairs, const uint16_t *a, long stride, const uint16_t *b, float *c, long ldc,
                         long rows, long cols, int first, float beta) {
    __m512 acc[MR][2];
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        acc[r][0] = _mm512_setzero_ps();
        acc[r][1] = _mm512_setzero_ps();
    }
    for (long p = 0; p < pairs; p++) {
        const __m512bh b0 = (__m512bh)_mm512_loadu_si512((const void *)(b + p * 2 * NR));
        const __m512bh b1 = (__m512bh)_mm512_loadu_si512((const void *)(b + p * 2 * NR + NR));
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            int32_t pair;
            memcpy(&pair, a + r * stride + 2 * p, 4);
            const __m512bh av = (__m512bh)_mm512_set1_epi32(pair);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], av, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], av, b1);
        }
    }
    const __mmask16 mask0 = cols >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << cols) - 1);
    const __mmask16 mask1 = cols >= 32 ? (__mmask16)0xFFFF : cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1);
    const __m512 betas = _mm512_set1_ps(beta);
    for (long r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        __m512 v0 = acc[r][0], v1 = acc[r][1];
        if (!first) {
            v0 = _mm512_add_ps(_mm512_maskz_loadu_ps(mask0, row), v0);
            v1 = _mm512_add_ps(_mm512_maskz_loadu_ps(mask1, row + 16), v1);
        } else if (beta != 0) {
            v0 = _mm512_add_ps(_mm512_mul_ps(betas, _mm512_maskz_loadu_ps(mask0, row)), v0);
            v1 = _mm512_add_ps(_mm512_mul_ps(betas, _mm512_maskz_loadu_ps(mask1, row + 16)), v1);
        }
        _mm512_mask_storeu_ps(row, mask0, v0);
        _mm512_mask_storeu_ps(row + 16, mask1, v1);
    }
}

static void gemm_packed(long m, long n, long k, const uint16_t *a, long stride, const uint16_t *packed_b,
                        float beta, float *c, long ldc) {
    const long pairs = (k + 1) / 2;
    for (long jc = 0; jc < n; jc += NC) {
        const long nc = n - jc < NC ? n - jc : NC;
        for (long pc = 0; pc < pairs; pc += KC_PAIRS) {
            const long kc = pairs - pc < KC_PAIRS ? pairs - pc : KC_PAIRS;
            for (long ic = 0; ic < m; ic += MR) {
                const long rows = m - ic < MR ? m - ic : MR;
                for (long jr = 0; jr < nc; jr += NR) {
                    const long cols = nc - jr < NR ? nc - jr : NR;
                    const long panel = (jc + jr) / NR;
                    micro_kernel(kc, a + ic * stride + 2 * pc, stride, packed_b + (panel * pairs + pc) * 2 * NR,
                                 c + ic * ldc + jc + jr, ldc, rows, cols, pc == 0, beta);
                }
            }
        }
    }
}

#pragma clang attribute pop

int lesson_bf16_gemm(int transpose_a, long m, long n, long k, const float *a, long lda, const uint16_t *packed_b,
                     float beta, float *c, long ldc) {
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0) {
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
        return 0;
    }
    const long stride = (k + 1) / 2 * 2;
    const long rows = (m + MR - 1) / MR * MR;
    uint16_t *packed_a = scratch(&scratch_a, &scratch_a_size, (size_t)(rows * stride));
    if (!packed_a) return -1;
    pack_a(transpose_a, m, k, a, lda, packed_a, stride);
    gemm_packed(m, n, k, packed_a, stride, packed_b, beta, c, ldc);
    return 0;
}

int lesson_bf16_gemm_unpacked(int transpose_a, int transpose_b, long m, long n, long k, const float *a, long lda,
                              const float *b, long ldb, float beta, float *c, long ldc) {
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0) return lesson_bf16_gemm(transpose_a, m, n, k, a, lda, NULL, beta, c, ldc);
    uint16_t *packed_b = scratch(&scratch_b, &scratch_b_size, (size_t)lesson_bf16_packed_size(k, n));
    if (!packed_b) return -1;
    lesson_bf16_pack(transpose_b, k, n, b, ldb, packed_b);
    return lesson_bf16_gemm(transpose_a, m, n, k, a, lda, packed_b, beta, c, ldc);
}
