//! Dot-product kernels for the flat index.
//!
//! Each kernel scores a block of rows (row-major, `dim` values each) against one query. On
//! x86-64 with AVX2 and FMA (detected once at run time) the f32 kernel uses `std::arch`
//! intrinsics and scores one row at a time, front to back, with four accumulators (four
//! independent FMA chains): the matrix is read as one sequential stream, which is what a scan
//! of 100k–1M rows is limited by. Elsewhere a portable version with eight accumulators, which
//! LLVM vectorises for the baseline target.
//!
//! The int8 kernel multiplies int8 row codes by an int8 query (kept widened to i16) with
//! `vpmaddwd`, accumulating in i32: exact integer arithmetic, no overflow below 2^31 / 127^2
//! (~133 000) dimensions.

/// Scores `rows.len() / dim` rows: `out[r] = rows[r] · query`.
pub fn scores_f32(query: &[f32], rows: &[f32], out: &mut [f32]) {
    let dim = query.len();
    debug_assert_eq!(rows.len(), out.len() * dim);
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // SAFETY: the CPU supports AVX2 and FMA (checked above); the slices have the lengths
        // the kernel reads (asserted in it).
        unsafe { avx2::scores_f32(query, rows, out) };
        return;
    }
    for (row, o) in rows.chunks_exact(dim).zip(out.iter_mut()) {
        *o = dot_portable(query, row);
    }
}

/// Scores int8 rows against a quantised query widened to i16: `out[r] = Σ rows[r][j] * query[j]`.
pub fn scores_i8(query: &[i16], rows: &[i8], out: &mut [i32]) {
    let dim = query.len();
    debug_assert_eq!(rows.len(), out.len() * dim);
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // SAFETY: as in `scores_f32`.
        unsafe { avx2::scores_i8(query, rows, out) };
        return;
    }
    for (row, o) in rows.chunks_exact(dim).zip(out.iter_mut()) {
        *o = dot_i8_portable(query, row);
    }
}

/// The dot product of two equally long vectors (SIMD when available).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "dot of vectors of different lengths");
    let mut out = [0f32];
    scores_f32(a, b, &mut out);
    out[0]
}

/// Whether the AVX2 + FMA kernels are in use on this CPU.
pub fn simd_kernel() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        return "avx2+fma";
    }
    "portable"
}

#[cfg(target_arch = "x86_64")]
fn has_avx2_fma() -> bool {
    use std::sync::atomic::{AtomicU8, Ordering};
    // 0 = unknown, 1 = no, 2 = yes.
    static STATE: AtomicU8 = AtomicU8::new(0);
    match STATE.load(Ordering::Relaxed) {
        0 => {
            let yes = std::env::var_os("BANANA_SEARCH_NO_SIMD").is_none()
                && is_x86_feature_detected!("avx2")
                && is_x86_feature_detected!("fma");
            STATE.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
            yes
        }
        s => s == 2,
    }
}

/// Portable f32 dot product with eight independent accumulators (vectorised by LLVM).
pub(crate) fn dot_portable(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ac, bc) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ac.zip(bc) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Portable int8 × int16 dot product accumulated in i32.
pub(crate) fn dot_i8_portable(q: &[i16], row: &[i8]) -> i32 {
    let mut acc = [0i32; 8];
    let (qc, rc) = (q.chunks_exact(8), row.chunks_exact(8));
    let tail: i32 = qc
        .remainder()
        .iter()
        .zip(rc.remainder())
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum();
    for (x, y) in qc.zip(rc) {
        for i in 0..8 {
            acc[i] += i32::from(x[i]) * i32::from(y[i]);
        }
    }
    acc.iter().sum::<i32>() + tail
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn hsum(v: __m256) -> f32 {
        let lo = _mm256_castps256_ps128(v);
        let hi = _mm256_extractf128_ps(v, 1);
        let s = _mm_add_ps(lo, hi);
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
        _mm_cvtss_f32(s)
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn hsum_i32(v: __m256i) -> i32 {
        let lo = _mm256_castsi256_si128(v);
        let hi = _mm256_extracti128_si256(v, 1);
        let s = _mm_add_epi32(lo, hi);
        let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b01_00_11_10));
        let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b10_11_00_01));
        _mm_cvtsi128_si32(s)
    }

    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn scores_f32(q: &[f32], rows: &[f32], out: &mut [f32]) {
        let dim = q.len();
        let n = out.len();
        assert_eq!(rows.len(), n * dim);
        let v32 = dim / 32 * 32;
        let v8 = dim / 8 * 8;
        let qp = q.as_ptr();
        // One row at a time, front to back: memory is read as one sequential stream, which
        // the hardware prefetcher follows best (interleaving four rows made four short
        // streams that restarted every block: half the bandwidth at 100k–1M rows). Four
        // accumulators keep four FMA chains in flight.
        for (r, o) in out.iter_mut().enumerate() {
            let p = rows.as_ptr().add(r * dim);
            let mut a0 = _mm256_setzero_ps();
            let mut a1 = _mm256_setzero_ps();
            let mut a2 = _mm256_setzero_ps();
            let mut a3 = _mm256_setzero_ps();
            let mut j = 0;
            while j < v32 {
                a0 = _mm256_fmadd_ps(_mm256_loadu_ps(p.add(j)), _mm256_loadu_ps(qp.add(j)), a0);
                a1 = _mm256_fmadd_ps(
                    _mm256_loadu_ps(p.add(j + 8)),
                    _mm256_loadu_ps(qp.add(j + 8)),
                    a1,
                );
                a2 = _mm256_fmadd_ps(
                    _mm256_loadu_ps(p.add(j + 16)),
                    _mm256_loadu_ps(qp.add(j + 16)),
                    a2,
                );
                a3 = _mm256_fmadd_ps(
                    _mm256_loadu_ps(p.add(j + 24)),
                    _mm256_loadu_ps(qp.add(j + 24)),
                    a3,
                );
                j += 32;
            }
            while j < v8 {
                a0 = _mm256_fmadd_ps(_mm256_loadu_ps(p.add(j)), _mm256_loadu_ps(qp.add(j)), a0);
                j += 8;
            }
            let mut s = hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
            while j < dim {
                s += *p.add(j) * *qp.add(j);
                j += 1;
            }
            // Every row goes through these same operations, so its score does not depend on
            // where it sits in a block (exact re-ranking relies on this).
            *o = s;
        }
    }

    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn scores_i8(q: &[i16], rows: &[i8], out: &mut [i32]) {
        let dim = q.len();
        let n = out.len();
        assert_eq!(rows.len(), n * dim);
        let v16 = dim / 16 * 16;
        let qp = q.as_ptr();
        let mut r = 0;
        while r + 4 <= n {
            let p0 = rows.as_ptr().add(r * dim);
            let (p1, p2, p3) = (p0.add(dim), p0.add(2 * dim), p0.add(3 * dim));
            let mut a = _mm256_setzero_si256();
            let mut b = _mm256_setzero_si256();
            let mut c = _mm256_setzero_si256();
            let mut d = _mm256_setzero_si256();
            let mut j = 0;
            while j < v16 {
                let qv = _mm256_loadu_si256(qp.add(j) as *const __m256i);
                macro_rules! load {
                    ($p:expr) => {
                        _mm256_cvtepi8_epi16(_mm_loadu_si128($p.add(j) as *const __m128i))
                    };
                }
                a = _mm256_add_epi32(a, _mm256_madd_epi16(load!(p0), qv));
                b = _mm256_add_epi32(b, _mm256_madd_epi16(load!(p1), qv));
                c = _mm256_add_epi32(c, _mm256_madd_epi16(load!(p2), qv));
                d = _mm256_add_epi32(d, _mm256_madd_epi16(load!(p3), qv));
                j += 16;
            }
            let mut s = [hsum_i32(a), hsum_i32(b), hsum_i32(c), hsum_i32(d)];
            while j < dim {
                let x = i32::from(*qp.add(j));
                s[0] += i32::from(*p0.add(j)) * x;
                s[1] += i32::from(*p1.add(j)) * x;
                s[2] += i32::from(*p2.add(j)) * x;
                s[3] += i32::from(*p3.add(j)) * x;
                j += 1;
            }
            out[r..r + 4].copy_from_slice(&s);
            r += 4;
        }
        while r < n {
            let row = std::slice::from_raw_parts(rows.as_ptr().add(r * dim), dim);
            out[r] = super::dot_i8_portable(q, row);
            r += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[f32], b: &[f32]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(&x, &y)| f64::from(x) * f64::from(y))
            .sum()
    }

    #[test]
    fn kernels_agree_with_naive_sums_for_awkward_dimensions() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 40) as f32 / (1u64 << 24) as f32) - 0.5
        };
        for dim in [1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 384, 385, 1280] {
            for n in [1, 3, 4, 5, 9] {
                let q: Vec<f32> = (0..dim).map(|_| next()).collect();
                let rows: Vec<f32> = (0..n * dim).map(|_| next()).collect();
                let mut out = vec![0f32; n];
                scores_f32(&q, &rows, &mut out);
                for (r, &o) in out.iter().enumerate() {
                    let want = naive(&q, &rows[r * dim..(r + 1) * dim]);
                    assert!(
                        (f64::from(o) - want).abs() < 1e-4,
                        "dim {dim} row {r}: {o} vs {want}"
                    );
                    let p = dot_portable(&q, &rows[r * dim..(r + 1) * dim]);
                    assert!((f64::from(p) - want).abs() < 1e-4);
                }
                let qi: Vec<i16> = q.iter().map(|&x| (x * 254.0) as i16).collect();
                let ri: Vec<i8> = rows.iter().map(|&x| (x * 254.0) as i8).collect();
                let mut outi = vec![0i32; n];
                scores_i8(&qi, &ri, &mut outi);
                for (r, &o) in outi.iter().enumerate() {
                    let want: i32 = qi
                        .iter()
                        .zip(&ri[r * dim..(r + 1) * dim])
                        .map(|(&a, &b)| i32::from(a) * i32::from(b))
                        .sum();
                    assert_eq!(o, want, "int8 dim {dim} row {r}");
                }
            }
        }
    }

    #[test]
    fn a_rows_score_does_not_depend_on_its_position_in_the_block() {
        let dim = 384;
        let rows: Vec<f32> = (0..5 * dim)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 77.0)
            .collect();
        let q: Vec<f32> = (0..dim)
            .map(|i| ((i * 13 % 29) as f32 - 14.0) / 31.0)
            .collect();
        let mut block = vec![0f32; 5];
        scores_f32(&q, &rows, &mut block);
        for r in 0..5 {
            assert_eq!(
                block[r].to_bits(),
                dot(&q, &rows[r * dim..(r + 1) * dim]).to_bits()
            );
        }
    }

    #[test]
    fn dot_of_known_vectors() {
        let a: Vec<f32> = (1..=20).map(|i| i as f32).collect();
        let b = vec![2f32; 20];
        assert_eq!(dot(&a, &b), 420.0);
    }
}
