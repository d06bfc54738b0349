// The kernels' bodies, included once per instruction set by kernels.c with KERNEL(name)
// naming each copy and a `#pragma clang attribute` giving it its target.
// Every operation mirrors Tensor's VectorMath (Swift) in kind and order.

static inline float KERNEL(bits_to_float)(uint32_t bits) { float f; memcpy(&f, &bits, 4); return f; }
static inline uint32_t KERNEL(float_to_bits)(float f) { uint32_t bits; memcpy(&bits, &f, 4); return bits; }
static inline float KERNEL(maxf)(float a, float b) { return a < b ? b : a; }  // Swift.max(a, b) for numbers
static inline float KERNEL(minf)(float a, float b) { return b < a ? b : a; }  // Swift.min(a, b) for numbers

/// x = n ln2 + r: returns e^r - 1 and sets *n (see VectorMath.reduce).
static inline float KERNEL(reduce)(float x, int32_t *n) {
    const float shifted = x * 1.44269504f + 12582912.0f;
    const float nf = shifted - 12582912.0f;
    const float r = (x - nf * 0.693359375f) - nf * -2.1219444e-4f;
    float p = 1.98756915e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    *n = (int32_t)KERNEL(float_to_bits)(shifted) - (int32_t)0x4B400000;  // bits of 1.5 * 2^23
    return p * (r * r) + r;
}

static inline float KERNEL(power_of_two)(int32_t n) { return KERNEL(bits_to_float)((uint32_t)(n + 127) << 23); }

static inline float KERNEL(exp1)(float x) {
    const float clamped = KERNEL(minf)(KERNEL(maxf)(x, -87.33655f), 88.72284f);
    int32_t n;
    const float q = KERNEL(reduce)(clamped, &n);
    const int32_t half = n >> 1;
    float y = (q + 1) * KERNEL(power_of_two)(half) * KERNEL(power_of_two)(n - half);
    y = x > 88.72284f ? INFINITY : y;
    y = x < -87.33655f ? 0.0f : y;
    return x != x ? x : y;
}

static inline float KERNEL(expm1_nonpositive)(float x) {
    int32_t n;
    const float q = KERNEL(reduce)(KERNEL(maxf)(x, -87.33655f), &n);
    const float scale = KERNEL(power_of_two)(n);
    return scale * q + (scale - 1);
}

static inline float KERNEL(tanh1)(float x) {
    const uint32_t xb = KERNEL(float_to_bits)(x);
    const float magnitude = KERNEL(bits_to_float)(xb & 0x7FFFFFFFu);
    const float m = KERNEL(expm1_nonpositive)(-2 * magnitude);
    const float t = -m / (2 + m);
    const float signed_t = KERNEL(bits_to_float)((KERNEL(float_to_bits)(t) & 0x7FFFFFFFu) | (xb & 0x80000000u));
    return x != x ? x : signed_t;
}

static inline float KERNEL(sigmoid1)(float x) { return 1 / (1 + KERNEL(exp1)(-x)); }

static void KERNEL(exp)(const float *in, float *out, long count) {
    for (long i = 0; i < count; i++) out[i] = KERNEL(exp1)(in[i]);
}

static void KERNEL(tanh)(const float *in, float *out, long count) {
    for (long i = 0; i < count; i++) out[i] = KERNEL(tanh1)(in[i]);
}

static void KERNEL(sigmoid)(const float *in, float *out, long count) {
    for (long i = 0; i < count; i++) out[i] = KERNEL(sigmoid1)(in[i]);
}

/// Adds the bias to the row and returns its maximum, in one pass on 16 chains (a maximum is
/// exact in any order).
static inline float KERNEL(add_bias)(float *restrict row, const float *restrict bias, long width) {
    float best[16];
    for (int j = 0; j < 16; j++) best[j] = -INFINITY;
    long k = 0;
    for (; k + 16 <= width; k += 16) {
        for (int j = 0; j < 16; j++) {
            const float v = row[k + j] + bias[k + j];
            row[k + j] = v;
            best[j] = KERNEL(maxf)(best[j], v);
        }
    }
    float maximum = -INFINITY;
    for (int j = 0; j < 16; j++) maximum = KERNEL(maxf)(maximum, best[j]);
    for (; k < width; k++) {
        const float v = row[k] + bias[k];
        row[k] = v;
        maximum = KERNEL(maxf)(maximum, v);
    }
    return maximum;
}

/// Exponentiates row - shift in place and returns the sum, in one pass: 16 lanes, then the
/// lanes in order, then the tail (the order FusedSoftmaxLoss.sum used).
static inline float KERNEL(exponentiate)(float *restrict row, long width, float shift) {
    float lanes[16] = {0};
    long k = 0;
    for (; k + 16 <= width; k += 16) {
        for (int j = 0; j < 16; j++) {
            const float e = KERNEL(exp1)(row[k + j] - shift);
            row[k + j] = e;
            lanes[j] += e;
        }
    }
    float total = -0.0f;
    for (int j = 0; j < 16; j++) total += lanes[j];
    for (; k < width; k++) {
        const float e = KERNEL(exp1)(row[k] - shift);
        row[k] = e;
        total += e;
    }
    return total;
}

/// row *= factor, added to sums.
static inline void KERNEL(scale_row)(float *restrict row, float *restrict sums, float factor, long width) {
    for (long k = 0; k < width; k++) {
        const float d = row[k] * factor;
        row[k] = d;
        sums[k] += d;
    }
}

static double KERNEL(softmax_loss)(float *logits, const float *bias, long rows, long width,
                                   const int32_t *targets, int gradient, float scale, float *bias_grad) {
    double total = 0;
    for (long r = 0; r < rows; r++) {
        float *row = logits + r * width;
        const long target = targets[r];
        const float maximum = KERNEL(add_bias)(row, bias, width);
        const float target_logit = row[target];
        const float sum = KERNEL(exponentiate)(row, width, maximum);
        if (gradient) {
            KERNEL(scale_row)(row, bias_grad, scale / sum, width);
            row[target] -= scale;
            bias_grad[target] -= scale;
        }
        total += (double)(((float)log((double)sum) + maximum) - target_logit);
    }
    return total;
}

// Row kernels take every pointer as a restrict parameter: LLVM honours restrict on
// parameters (also once inlined), not on local pointers, and without it the vectoriser
// adds overlap checks that the four gates of one buffer always fail.
static inline void KERNEL(activate_row)(float *restrict gi, float *restrict gj, float *restrict gf, float *restrict go,
                                        const float *restrict bi, const float *restrict bj, const float *restrict bf,
                                        const float *restrict bo, float forget_bias, const float *restrict cp,
                                        float *restrict cn, float *restrict hn, float *restrict tc, long h) {
    for (long k = 0; k < h; k++) {
        const float i = KERNEL(sigmoid1)(gi[k] + bi[k]);
        const float j = KERNEL(tanh1)(gj[k] + bj[k]);
        const float f = KERNEL(sigmoid1)(gf[k] + bf[k] + forget_bias);
        const float o = KERNEL(sigmoid1)(go[k] + bo[k]);
        const float c = cp[k] * f + i * j;
        const float t = KERNEL(tanh1)(c);
        gi[k] = i;
        gj[k] = j;
        gf[k] = f;
        go[k] = o;
        cn[k] = c;
        tc[k] = t;
        hn[k] = t * o;
    }
}

static void KERNEL(lstm_activate)(float *gates, const float *bias, float forget_bias, const float *c_prev,
                                  float *c_new, float *h_new, float *tanh_c, long rows, long units) {
    const long h = units;
    for (long r = 0; r < rows; r++) {
        float *gi = gates + r * 4 * h;
        KERNEL(activate_row)(gi, gi + h, gi + 2 * h, gi + 3 * h, bias, bias + h, bias + 2 * h, bias + 3 * h, forget_bias,
                             c_prev + r * h, c_new + r * h, h_new + r * h, tanh_c + r * h, h);
    }
}

static inline void KERNEL(differentiate_row)(const float *restrict gi, const float *restrict gj, const float *restrict gf,
                                             const float *restrict go, float *restrict di, float *restrict dj,
                                             float *restrict df, float *restrict dO, const float *restrict cp,
                                             const float *restrict tc, const float *restrict dhc, float *restrict dcc,
                                             const float *restrict u, long h) {
    for (long k = 0; k < h; k++) {
        const float i = gi[k], j = gj[k], f = gf[k], o = go[k], t = tc[k];
        const float dh = u[k] + dhc[k];
        const float dc = dcc[k] + dh * o * (1 - t * t);
        di[k] = dc * j * i * (1 - i);
        dj[k] = dc * i * (1 - j * j);
        df[k] = dc * cp[k] * f * (1 - f);
        dO[k] = dh * t * o * (1 - o);
        dcc[k] = dc * f;
    }
}

static void KERNEL(lstm_differentiate)(const float *gates, float *gate_grads, const float *c_prev, const float *tanh_c,
                                       const float *dh_carry, float *dc_carry, const float *up, long rows, long units) {
    const long h = units;
    for (long r = 0; r < rows; r++) {
        const float *gi = gates + r * 4 * h;
        float *di = gate_grads + r * 4 * h;
        KERNEL(differentiate_row)(gi, gi + h, gi + 2 * h, gi + 3 * h, di, di + h, di + 2 * h, di + 3 * h,
                                  c_prev + r * h, tanh_c + r * h, dh_carry + r * h, dc_carry + r * h, up + r * h, h);
    }
}

static inline void KERNEL(add_row)(float *restrict sums, const float *restrict row, long columns) {
    for (long j = 0; j < columns; j++) sums[j] += row[j];
}

static void KERNEL(column_sums)(const float *m, long rows, long columns, float *out) {
    for (long j = 0; j < columns; j++) out[j] = 0;
    for (long r = 0; r < rows; r++) KERNEL(add_row)(out, m + r * columns, columns);
}

static void KERNEL(axpy)(float a, const float *restrict x, float *restrict y, long count) {
    for (long i = 0; i < count; i++) y[i] += a * x[i];
}
