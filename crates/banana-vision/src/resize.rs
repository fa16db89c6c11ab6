//! Area-average resampling (like OpenCV's `INTER_AREA`), separable, for RGB images.

use image::RgbImage;

/// For each output index, the source indices it covers and their weights (summing to 1).
fn coverage(src: usize, dst: usize) -> Vec<Vec<(usize, f32)>> {
    let scale = src as f64 / dst as f64;
    (0..dst)
        .map(|o| {
            let start = o as f64 * scale;
            let end = ((o + 1) as f64 * scale).min(src as f64);
            let mut taps = Vec::new();
            if scale <= 1.0 {
                // Upscaling: linear interpolation between the two nearest source pixels.
                let c = ((o as f64 + 0.5) * scale - 0.5).max(0.0);
                let i = (c.floor() as usize).min(src - 1);
                let f = (c - i as f64) as f32;
                let j = (i + 1).min(src - 1);
                taps.push((i, 1.0 - f));
                if j != i && f > 0.0 {
                    taps.push((j, f));
                }
                return taps;
            }
            let mut i = start.floor() as usize;
            while (i as f64) < end && i < src {
                let lo = start.max(i as f64);
                let hi = end.min((i + 1) as f64);
                if hi > lo {
                    taps.push((i, ((hi - lo) / scale) as f32));
                }
                i += 1;
            }
            taps
        })
        .collect()
}

/// `image` resampled to `w`×`h` as interleaved RGB `f32` values in 0–255.
pub(crate) fn area_resize_rgb(image: &RgbImage, w: usize, h: usize) -> Vec<f32> {
    let (sw, sh) = (image.width() as usize, image.height() as usize);
    if sw == 0 || sh == 0 || w == 0 || h == 0 {
        return vec![0.0; w * h * 3];
    }
    let src = image.as_raw();
    let cols = coverage(sw, w);
    let rows = coverage(sh, h);
    // Horizontal pass: sh rows of w pixels.
    let mut tmp = vec![0f32; sh * w * 3];
    for y in 0..sh {
        let srow = &src[y * sw * 3..(y + 1) * sw * 3];
        let trow = &mut tmp[y * w * 3..(y + 1) * w * 3];
        for (x, taps) in cols.iter().enumerate() {
            let (mut r, mut g, mut b) = (0f32, 0f32, 0f32);
            for &(i, wt) in taps {
                r += srow[i * 3] as f32 * wt;
                g += srow[i * 3 + 1] as f32 * wt;
                b += srow[i * 3 + 2] as f32 * wt;
            }
            trow[x * 3] = r;
            trow[x * 3 + 1] = g;
            trow[x * 3 + 2] = b;
        }
    }
    // Vertical pass.
    let mut out = vec![0f32; w * h * 3];
    for (y, taps) in rows.iter().enumerate() {
        let orow = &mut out[y * w * 3..(y + 1) * w * 3];
        for &(i, wt) in taps {
            let trow = &tmp[i * w * 3..(i + 1) * w * 3];
            for (o, t) in orow.iter_mut().zip(trow) {
                *o += t * wt;
            }
        }
    }
    out
}

/// `image` with its longest side at most `side` (a copy either way): what the face detector
/// and the colour analysis see of a preview.
pub fn reduced(image: &RgbImage, side: u32) -> RgbImage {
    let (w, h) = image.dimensions();
    let longest = w.max(h);
    if longest <= side {
        return image.clone();
    }
    let scale = side as f64 / longest as f64;
    let (nw, nh) = (
        ((w as f64 * scale).round() as u32).max(1),
        ((h as f64 * scale).round() as u32).max(1),
    );
    bilinear(image, nw, nh)
}

/// `image` resampled to `nw`×`nh` with a triangle (bilinear) filter, as `image`'s
/// `FilterType::Triangle` but SIMD (several times faster on a 1280 px preview).
pub fn bilinear(image: &RgbImage, nw: u32, nh: u32) -> RgbImage {
    if image.dimensions() == (nw, nh) {
        return image.clone();
    }
    // Only an empty image fails; fall back to the portable filter then.
    banana_media::resize_to(image, nw, nh, banana_media::ResizeFilter::Bilinear).unwrap_or_else(
        |_| image::imageops::resize(image, nw, nh, image::imageops::FilterType::Triangle),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_average_of_a_checkerboard_is_grey() {
        let img = RgbImage::from_fn(8, 8, |x, y| {
            if (x + y) % 2 == 0 {
                image::Rgb([255, 255, 255])
            } else {
                image::Rgb([0, 0, 0])
            }
        });
        let out = area_resize_rgb(&img, 2, 2);
        assert!(out.iter().all(|&v| (v - 127.5).abs() < 0.01), "{out:?}");
        let up = area_resize_rgb(&img, 16, 16);
        assert_eq!(up.len(), 16 * 16 * 3);
        assert!(up.iter().all(|&v| (0.0..=255.0).contains(&v)));
    }

    #[test]
    fn non_integer_ratio_keeps_the_mean() {
        let img = RgbImage::from_fn(7, 5, |x, y| image::Rgb([(x * 30) as u8, (y * 50) as u8, 9]));
        let out = area_resize_rgb(&img, 3, 2);
        let mean =
            |c: usize, v: &[f32]| v.iter().skip(c).step_by(3).sum::<f32>() / (v.len() / 3) as f32;
        let src: Vec<f32> = img.as_raw().iter().map(|&v| v as f32).collect();
        for c in 0..3 {
            assert!((mean(c, &out) - mean(c, &src)).abs() < 0.5);
        }
    }
}
