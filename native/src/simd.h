/*
 * One small vector vocabulary over AVX-512, AVX2+FMA, SSE2 and plain C, so the kernels in
 * kernels.inc are written once and compiled once per instruction set (kernels_*.c set LL_ISA_*).
 * v_loadn / v_storen touch only the first n lanes (n in 1..LL_W): row tails of any width.
 */
#ifndef LL_SIMD_H
#define LL_SIMD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(_MSC_VER)
#define LL_INLINE static __forceinline
#else
#define LL_INLINE static inline __attribute__((always_inline))
#endif

#if defined(LL_ISA_AVX512)
#include <immintrin.h>
#define LL_W 16
#define LL_MR 8
#define LL_NAME(x) x##_avx512
typedef __m512 vf;
LL_INLINE vf v_zero(void) { return _mm512_setzero_ps(); }
LL_INLINE vf v_load(const float *p) { return _mm512_loadu_ps(p); }
LL_INLINE void v_store(float *p, vf v) { _mm512_storeu_ps(p, v); }
LL_INLINE vf v_loadn(const float *p, int n) { return _mm512_maskz_loadu_ps((__mmask16)((1u << n) - 1), p); }
LL_INLINE void v_storen(float *p, vf v, int n) { _mm512_mask_storeu_ps(p, (__mmask16)((1u << n) - 1), v); }
LL_INLINE vf v_set1(float x) { return _mm512_set1_ps(x); }
LL_INLINE vf v_fma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }

#elif defined(LL_ISA_AVX2)
#include <immintrin.h>
#define LL_W 8
#define LL_MR 6
#define LL_NAME(x) x##_avx2
typedef __m256 vf;
static const int32_t ll_tail_bits[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
LL_INLINE __m256i tail_mask(int n) { return _mm256_loadu_si256((const __m256i *)(ll_tail_bits + 8 - n)); }
LL_INLINE vf v_zero(void) { return _mm256_setzero_ps(); }
LL_INLINE vf v_load(const float *p) { return _mm256_loadu_ps(p); }
LL_INLINE void v_store(float *p, vf v) { _mm256_storeu_ps(p, v); }
LL_INLINE vf v_loadn(const float *p, int n) { return _mm256_maskload_ps(p, tail_mask(n)); }
LL_INLINE void v_storen(float *p, vf v, int n) { _mm256_maskstore_ps(p, tail_mask(n), v); }
LL_INLINE vf v_set1(float x) { return _mm256_set1_ps(x); }
LL_INLINE vf v_fma(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }

#elif defined(__SSE2__) || defined(_M_X64)
/* Every x86-64 CPU has SSE2: the portable floor there (no FMA: multiply, then add). */
#include <emmintrin.h>
#define LL_W 4
#define LL_MR 4
#define LL_NAME(x) x##_sse2
typedef __m128 vf;
LL_INLINE vf v_zero(void) { return _mm_setzero_ps(); }
LL_INLINE vf v_load(const float *p) { return _mm_loadu_ps(p); }
LL_INLINE void v_store(float *p, vf v) { _mm_storeu_ps(p, v); }
LL_INLINE vf v_loadn(const float *p, int n) { float t[4] = {0, 0, 0, 0}; memcpy(t, p, (size_t)n * sizeof(float)); return _mm_loadu_ps(t); }
LL_INLINE void v_storen(float *p, vf v, int n) { float t[4]; _mm_storeu_ps(t, v); memcpy(p, t, (size_t)n * sizeof(float)); }
LL_INLINE vf v_set1(float x) { return _mm_set1_ps(x); }
LL_INLINE vf v_fma(vf a, vf b, vf c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }

#else
/* Any other CPU: plain C; the compiler vectorizes what it can. */
#define LL_W 1
#define LL_MR 4
#define LL_NAME(x) x##_scalar
typedef float vf;
LL_INLINE vf v_zero(void) { return 0.0f; }
LL_INLINE vf v_load(const float *p) { return *p; }
LL_INLINE void v_store(float *p, vf v) { *p = v; }
LL_INLINE vf v_loadn(const float *p, int n) { (void)n; return *p; }
LL_INLINE void v_storen(float *p, vf v, int n) { (void)n; *p = v; }
LL_INLINE vf v_set1(float x) { return x; }
LL_INLINE vf v_fma(vf a, vf b, vf c) { return a * b + c; }
#endif

#endif
