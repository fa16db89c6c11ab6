//! Dominant colours of an image, named.
//!
//! The image is area-averaged down to at most 64 px on its longest side, converted from sRGB
//! to CIELAB (D65) and clustered with k-means (k = 5, k-means++ seeding from a fixed seed, so
//! the answer is deterministic; 10 iterations). Each cluster's mean is named from a small
//! palette ([`COLOR_NAMES`]): nearly achromatic colours (low chroma) by lightness as black,
//! gray or white, the rest by the nearest of several reference colours per name (CIE76
//! distance). Clusters with the same name are merged; names covering at least
//! [`MIN_FRACTION`] of the pixels are returned, largest first, at most [`MAX_COLORS`].

use image::RgbImage;

use crate::resize::area_resize_rgb;

/// One of an image's dominant colours.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedColor {
    /// A plain colour name from a small fixed palette (`red`, `blue`, …).
    pub name: &'static str,
    /// The cluster's mean colour, `#rrggbb`.
    pub hex: String,
    /// Share of the image's pixels, 0–1.
    pub fraction: f32,
}

/// The names [`dominant_colors`] can return.
pub const COLOR_NAMES: &[&str] = &[
    "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink", "brown", "black", "gray",
    "white", "beige",
];

/// Smallest share of the pixels a returned colour covers.
pub const MIN_FRACTION: f32 = 0.08;
/// Most colours returned.
pub const MAX_COLORS: usize = 4;
/// The longest side of the copy of a preview the colours are taken from ([`crate::reduced`]).
pub const COLOR_SIDE: u32 = 128;
/// Clusters.
const K: usize = 5;
/// k-means iterations.
const ITERATIONS: usize = 10;
/// Longest side of the downsampled image.
const THUMB: usize = 64;
/// Below this chroma (CIELAB C*ab) a colour is black, gray or white.
const ACHROMATIC_CHROMA: f32 = 10.0;

/// Reference colours (sRGB) per name.
const REFERENCES: &[(&str, [u8; 3])] = &[
    ("red", [255, 0, 0]),
    ("red", [200, 16, 26]),
    ("red", [139, 0, 0]),
    ("red", [224, 60, 49]),
    ("red", [178, 34, 34]),
    ("orange", [255, 128, 0]),
    ("orange", [255, 165, 0]),
    ("orange", [230, 110, 30]),
    ("orange", [255, 140, 70]),
    ("yellow", [255, 255, 0]),
    ("yellow", [255, 215, 0]),
    ("yellow", [240, 224, 96]),
    ("yellow", [218, 190, 30]),
    ("green", [0, 255, 0]),
    ("green", [0, 128, 0]),
    ("green", [34, 139, 34]),
    ("green", [107, 142, 35]),
    ("green", [85, 107, 47]),
    ("green", [144, 238, 144]),
    ("green", [30, 70, 30]),
    ("teal", [0, 128, 128]),
    ("teal", [32, 178, 170]),
    ("teal", [64, 224, 208]),
    ("teal", [0, 80, 80]),
    ("blue", [0, 0, 255]),
    ("blue", [0, 0, 128]),
    ("blue", [65, 105, 225]),
    ("blue", [135, 206, 235]),
    ("blue", [30, 144, 255]),
    ("blue", [70, 130, 180]),
    ("blue", [25, 35, 70]),
    ("blue", [30, 60, 220]),
    ("blue", [0, 60, 190]),
    ("blue", [50, 90, 200]),
    ("purple", [128, 0, 128]),
    ("purple", [138, 43, 226]),
    ("purple", [147, 112, 219]),
    ("purple", [75, 0, 130]),
    ("purple", [90, 50, 100]),
    ("pink", [255, 192, 203]),
    ("pink", [255, 105, 180]),
    ("pink", [255, 20, 147]),
    ("pink", [219, 112, 147]),
    ("pink", [230, 160, 160]),
    ("brown", [139, 69, 19]),
    ("brown", [160, 82, 45]),
    ("brown", [101, 67, 33]),
    ("brown", [92, 64, 51]),
    ("brown", [60, 40, 25]),
    ("brown", [150, 110, 70]),
    ("beige", [245, 245, 220]),
    ("beige", [210, 180, 140]),
    ("beige", [232, 216, 176]),
    ("beige", [200, 184, 154]),
    ("black", [0, 0, 0]),
    ("black", [25, 25, 25]),
    ("gray", [128, 128, 128]),
    ("gray", [80, 80, 80]),
    ("gray", [170, 170, 170]),
    ("white", [255, 255, 255]),
    ("white", [235, 235, 235]),
];

fn srgb_to_linear(v: f32) -> f32 {
    let v = v / 255.0;
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn lab_f(t: f32) -> f32 {
    if t > 0.008_856 {
        t.cbrt()
    } else {
        7.787 * t + 16.0 / 116.0
    }
}

/// CIELAB (D65) of an sRGB colour with channels in 0–255.
fn rgb_to_lab(rgb: [f32; 3]) -> [f32; 3] {
    let [r, g, b] = rgb.map(srgb_to_linear);
    let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) / 0.950_47;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175 * b;
    let z = (0.019_333_9 * r + 0.119_192 * g + 0.950_304_1 * b) / 1.088_83;
    let (fx, fy, fz) = (lab_f(x), lab_f(y), lab_f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

fn dist2(a: &[f32; 3], b: &[f32; 3]) -> f32 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)
}

/// The palette name of a CIELAB colour.
fn name_of(lab: &[f32; 3]) -> &'static str {
    let chroma = (lab[1] * lab[1] + lab[2] * lab[2]).sqrt();
    if chroma < ACHROMATIC_CHROMA {
        return match lab[0] {
            l if l < 22.0 => "black",
            l if l > 88.0 => "white",
            _ => "gray",
        };
    }
    if lab[0] < 12.0 {
        return "black";
    }
    // Dark, saturated colours of a red hue (maroon, a dark red car's paint) are red, not
    // brown: brown's hue is orange's (CIELAB hue ≈ 50–80°).
    let hue = lab[2].atan2(lab[1]).to_degrees();
    if chroma >= 20.0 && (-15.0..35.0).contains(&hue) && lab[0] < 60.0 {
        return "red";
    }
    // Bright, saturated colours between orange (#ffa500, hue ≈ 74°) and lemon are yellow:
    // amber, a taxi's or a school bus's paint.
    if chroma >= 40.0 && lab[0] >= 60.0 && (77.0..105.0).contains(&hue) {
        return "yellow";
    }
    references()
        .iter()
        .min_by(|a, b| dist2(&a.1, lab).total_cmp(&dist2(&b.1, lab)))
        .map(|r| r.0)
        .unwrap_or("gray")
}

fn references() -> &'static [(&'static str, [f32; 3])] {
    static REFS: std::sync::OnceLock<Vec<(&'static str, [f32; 3])>> = std::sync::OnceLock::new();
    REFS.get_or_init(|| {
        REFERENCES
            .iter()
            .map(|&(n, c)| (n, rgb_to_lab(c.map(f32::from))))
            .collect()
    })
}

/// A small deterministic generator (SplitMix64) for the k-means++ seeding.
struct SplitMix(u64);

impl SplitMix {
    fn next_f32(&mut self) -> f32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// k-means++ seeding, then Lloyd iterations. Returns the assignment of every point.
fn kmeans(points: &[[f32; 3]], k: usize) -> Vec<usize> {
    let n = points.len();
    let mut rng = SplitMix(0x0BA7_A7A5);
    let mut centers: Vec<[f32; 3]> = vec![points[(rng.next_f32() * n as f32) as usize % n]];
    let mut d: Vec<f32> = points.iter().map(|p| dist2(p, &centers[0])).collect();
    while centers.len() < k {
        let total: f32 = d.iter().sum();
        if total <= 0.0 {
            break; // fewer distinct colours than clusters
        }
        let mut target = rng.next_f32() * total;
        let mut pick = n - 1;
        for (i, &di) in d.iter().enumerate() {
            if target < di {
                pick = i;
                break;
            }
            target -= di;
        }
        let c = points[pick];
        centers.push(c);
        for (di, p) in d.iter_mut().zip(points) {
            *di = di.min(dist2(p, &c));
        }
    }
    let mut assign = vec![0usize; n];
    for _ in 0..ITERATIONS {
        let mut changed = false;
        for (a, p) in assign.iter_mut().zip(points) {
            let mut best = (0, f32::INFINITY);
            for (j, c) in centers.iter().enumerate() {
                let dj = dist2(p, c);
                if dj < best.1 {
                    best = (j, dj);
                }
            }
            if *a != best.0 {
                *a = best.0;
                changed = true;
            }
        }
        let mut sums = vec![[0f32; 4]; centers.len()];
        for (&a, p) in assign.iter().zip(points) {
            let s = &mut sums[a];
            s[0] += p[0];
            s[1] += p[1];
            s[2] += p[2];
            s[3] += 1.0;
        }
        for (c, s) in centers.iter_mut().zip(&sums) {
            if s[3] > 0.0 {
                *c = [s[0] / s[3], s[1] / s[3], s[2] / s[3]];
            }
        }
        if !changed {
            break;
        }
    }
    assign
}

/// The few dominant colours of `image`, largest share first.
pub fn dominant_colors(image: &RgbImage) -> Vec<NamedColor> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    if w == 0 || h == 0 {
        return Vec::new();
    }
    let scale = (THUMB as f32 / w.max(h) as f32).min(1.0);
    let tw = ((w as f32 * scale).round() as usize).max(1);
    let th = ((h as f32 * scale).round() as usize).max(1);
    let rgb = area_resize_rgb(image, tw, th);
    let pixels: Vec<[f32; 3]> = rgb.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    let labs: Vec<[f32; 3]> = pixels.iter().map(|&p| rgb_to_lab(p)).collect();
    let assign = kmeans(&labs, K);

    // Per cluster: Lab sum, sRGB sum, count.
    let mut clusters = vec![([0f32; 3], [0f32; 3], 0usize); K];
    for ((&a, lab), px) in assign.iter().zip(&labs).zip(&pixels) {
        let c = &mut clusters[a];
        for i in 0..3 {
            c.0[i] += lab[i];
            c.1[i] += px[i];
        }
        c.2 += 1;
    }
    // Merge by name: sRGB sum, count.
    let mut named: Vec<(&'static str, [f32; 3], usize)> = Vec::new();
    for (lab, rgb, count) in clusters.into_iter().filter(|c| c.2 > 0) {
        let mean = lab.map(|v| v / count as f32);
        let name = name_of(&mean);
        match named.iter_mut().find(|e| e.0 == name) {
            Some(e) => {
                for (sum, v) in e.1.iter_mut().zip(rgb) {
                    *sum += v;
                }
                e.2 += count;
            }
            None => named.push((name, rgb, count)),
        }
    }
    let total = pixels.len() as f32;
    let mut out: Vec<NamedColor> = named
        .into_iter()
        .map(|(name, rgb, count)| {
            let [r, g, b] = rgb.map(|v| (v / count as f32).round().clamp(0.0, 255.0) as u8);
            NamedColor {
                name,
                hex: format!("#{r:02x}{g:02x}{b:02x}"),
                fraction: count as f32 / total,
            }
        })
        .filter(|c| c.fraction >= MIN_FRACTION)
        .collect();
    out.sort_by(|a, b| b.fraction.total_cmp(&a.fraction).then(a.name.cmp(b.name)));
    out.truncate(MAX_COLORS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_reds_are_red_and_browns_brown() {
        for (rgb, want) in [
            ([94u8, 35, 38], "red"),
            ([128, 0, 0], "red"),
            ([101, 67, 33], "brown"),
            ([139, 69, 19], "brown"),
            ([255, 192, 203], "pink"),
            ([242, 180, 50], "yellow"),
            ([255, 191, 0], "yellow"),
            ([255, 165, 0], "orange"),
            ([255, 128, 0], "orange"),
        ] {
            assert_eq!(name_of(&rgb_to_lab(rgb.map(f32::from))), want, "{rgb:?}");
        }
    }
    use image::Rgb;

    fn solid(rgb: [u8; 3]) -> RgbImage {
        RgbImage::from_pixel(320, 240, Rgb(rgb))
    }

    #[test]
    fn every_reference_names_a_listed_colour() {
        for (n, _) in REFERENCES {
            assert!(COLOR_NAMES.contains(n), "{n}");
        }
        for n in COLOR_NAMES {
            assert!(REFERENCES.iter().any(|r| r.0 == *n), "{n}");
        }
    }

    #[test]
    fn pure_red_is_red() {
        let c = dominant_colors(&solid([255, 0, 0]));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].name, "red");
        assert_eq!(c[0].hex, "#ff0000");
        assert!((c[0].fraction - 1.0).abs() < 1e-6);
    }

    #[test]
    fn half_blue_half_white() {
        let img = RgbImage::from_fn(400, 300, |x, _| {
            if x < 200 {
                Rgb([20, 60, 200])
            } else {
                Rgb([255, 255, 255])
            }
        });
        let c = dominant_colors(&img);
        assert_eq!(c.len(), 2, "{c:?}");
        let names: Vec<&str> = c.iter().map(|c| c.name).collect();
        assert!(names.contains(&"blue") && names.contains(&"white"), "{c:?}");
        for col in &c {
            assert!((col.fraction - 0.5).abs() < 0.03, "{c:?}");
        }
    }

    #[test]
    fn plain_colours_get_their_names() {
        let cases: &[([u8; 3], &str)] = &[
            ([0, 0, 0], "black"),
            ([128, 128, 128], "gray"),
            ([250, 250, 250], "white"),
            ([255, 140, 0], "orange"),
            ([250, 230, 30], "yellow"),
            ([30, 160, 40], "green"),
            ([0, 128, 128], "teal"),
            ([30, 60, 220], "blue"),
            ([120, 30, 150], "purple"),
            ([255, 150, 190], "pink"),
            ([120, 70, 30], "brown"),
            ([225, 205, 170], "beige"),
            ([150, 10, 20], "red"),
        ];
        for &(rgb, want) in cases {
            let c = dominant_colors(&solid(rgb));
            assert_eq!(c[0].name, want, "{rgb:?}: {c:?}");
        }
    }

    #[test]
    fn many_colours_give_at_most_four_and_are_deterministic() {
        let img = RgbImage::from_fn(500, 100, |x, _| match x / 100 {
            0 => Rgb([255, 0, 0]),
            1 => Rgb([0, 160, 0]),
            2 => Rgb([0, 0, 255]),
            3 => Rgb([255, 255, 0]),
            _ => Rgb([255, 255, 255]),
        });
        let a = dominant_colors(&img);
        assert_eq!(a.len(), MAX_COLORS, "{a:?}");
        assert!(a.windows(2).all(|w| w[0].fraction >= w[1].fraction));
        assert_eq!(a, dominant_colors(&img));
        assert!(dominant_colors(&RgbImage::new(0, 0)).is_empty());
        assert_eq!(dominant_colors(&RgbImage::new(1, 1))[0].name, "black");
    }
}
