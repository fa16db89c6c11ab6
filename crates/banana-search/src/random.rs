//! Deterministic random unit vectors for tests and benches (no external RNG, so other
//! programs can be handed the very same data through a file).

/// SplitMix64: a tiny, well-mixed 64-bit generator.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    pub fn next_f64(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn next_normal(&mut self) -> f64 {
        let (u, v) = (self.next_f64(), self.next_f64());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// `n` meaningless queries: one to three "words" of 3 to 9 random lowercase letters
/// ("qzvxo kptr"). The null model for the search's relevance floor: what a query that means
/// nothing scores against real images.
pub fn random_gibberish(n: usize, seed: u64) -> Vec<String> {
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let words = 1 + (rng.next_u64() % 3) as usize;
            (0..words)
                .map(|_| {
                    let len = 3 + (rng.next_u64() % 7) as usize;
                    (0..len)
                        .map(|_| (b'a' + (rng.next_u64() % 26) as u8) as char)
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// `n` vectors of `dim` values, each uniformly distributed on the unit sphere, row-major.
pub fn random_unit_vectors(n: usize, dim: usize, seed: u64) -> Vec<f32> {
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::with_capacity(n * dim);
    let mut row = vec![0f64; dim];
    for _ in 0..n {
        for x in row.iter_mut() {
            *x = rng.next_normal();
        }
        let norm = row.iter().map(|x| x * x).sum::<f64>().sqrt();
        out.extend(row.iter().map(|x| (x / norm) as f32));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_unit_length_reproducible_and_seed_dependent() {
        let a = random_unit_vectors(50, 384, 1);
        assert_eq!(a, random_unit_vectors(50, 384, 1));
        assert_ne!(a, random_unit_vectors(50, 384, 2));
        for row in a.chunks_exact(384) {
            let n: f32 = row.iter().map(|x| x * x).sum();
            assert!((n - 1.0).abs() < 1e-5);
        }
        let mean: f32 = a.iter().sum::<f32>() / a.len() as f32;
        assert!(mean.abs() < 0.01, "{mean}");
    }

    #[test]
    fn gibberish_is_reproducible_lowercase_words() {
        let g = random_gibberish(200, 7);
        assert_eq!(g, random_gibberish(200, 7));
        assert_ne!(g, random_gibberish(200, 8));
        for q in &g {
            let words: Vec<&str> = q.split(' ').collect();
            assert!((1..=3).contains(&words.len()), "{q}");
            assert!(words
                .iter()
                .all(|w| (3..=9).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_lowercase())));
        }
    }
}
