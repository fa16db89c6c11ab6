//! Image preprocessing for the classifier, bit-for-bit like the Python reference.
//!
//! The model was trained on the central 224/256 of the short side, resized with bicubic
//! interpolation to 224x224, scaled as `(x - 127) / 128`, in NCHW order. The reference does the
//! resize with Pillow (`img.resize((224, 224), Image.BICUBIC, box=...)`); this module
//! reimplements Pillow's resampler (`Resample.c`) exactly — the same filter (`a = -0.5`, support
//! widened by the downscale factor), the same 22-bit fixed-point coefficients, horizontal pass
//! first into an 8-bit intermediate, then the vertical pass — so the model sees the same pixels.

use image::RgbImage;

use crate::onnx::INPUT_SIZE;

const PRECISION_BITS: u32 = 32 - 8 - 2;

fn bicubic(x: f64) -> f64 {
    const A: f64 = -0.5;
    let x = x.abs();
    if x < 1.0 {
        ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0
    } else if x < 2.0 {
        (((x - 5.0) * x + 8.0) * x - 4.0) * A
    } else {
        0.0
    }
}

/// Resampling coefficients for one axis: for each output pixel, the first input pixel and
/// the fixed-point weights of the input pixels it reads.
struct Coeffs {
    ksize: usize,
    bounds: Vec<(usize, usize)>, // (first input index, count)
    weights: Vec<i32>,           // out_size * ksize
}

/// Pillow's `precompute_coeffs` followed by `normalize_coeffs_8bpc`.
fn precompute(in_size: usize, in0: f64, in1: f64, out_size: usize) -> Coeffs {
    const SUPPORT: f64 = 2.0;
    let scale = (in1 - in0) / out_size as f64;
    let filterscale = scale.max(1.0);
    let support = SUPPORT * filterscale;
    let ksize = support.ceil() as usize * 2 + 1;
    let mut bounds = Vec::with_capacity(out_size);
    let mut weights = vec![0i32; out_size * ksize];
    let mut k = vec![0f64; ksize];
    for xx in 0..out_size {
        let center = in0 + (xx as f64 + 0.5) * scale;
        let ss = 1.0 / filterscale;
        // C's (int) cast truncates toward zero.
        let xmin = ((center - support + 0.5) as i64).max(0) as usize;
        let xmax = ((center + support + 0.5) as i64).min(in_size as i64) as usize;
        let n = xmax.saturating_sub(xmin);
        let mut ww = 0.0;
        for (x, kx) in k.iter_mut().enumerate().take(n) {
            let w = bicubic((x as f64 + xmin as f64 - center + 0.5) * ss);
            *kx = w;
            ww += w;
        }
        for (x, kx) in k.iter().enumerate().take(n) {
            let v = if ww != 0.0 { kx / ww } else { *kx };
            let f = v * (1u32 << PRECISION_BITS) as f64;
            weights[xx * ksize + x] = if v < 0.0 {
                (f - 0.5) as i32
            } else {
                (f + 0.5) as i32
            };
        }
        bounds.push((xmin, n));
    }
    Coeffs {
        ksize,
        bounds,
        weights,
    }
}

#[inline]
fn clip8(v: i32) -> u8 {
    (v >> PRECISION_BITS).clamp(0, 255) as u8
}

/// Pillow's `Image.resize(size, BICUBIC, box)` for an RGB image: `box` is `(left, top, right,
/// bottom)` in source pixel coordinates (fractional allowed).
pub fn resize_bicubic_box(
    src: &RgbImage,
    out_w: usize,
    out_h: usize,
    bx: (f64, f64, f64, f64),
) -> RgbImage {
    let (in_w, in_h) = (src.width() as usize, src.height() as usize);
    let hor = precompute(in_w, bx.0, bx.2, out_w);
    let ver = precompute(in_h, bx.1, bx.3, out_h);
    let need_h = out_w != in_w || bx.0 != 0.0 || bx.2 != out_w as f64;
    let need_v = out_h != in_h || bx.1 != 0.0 || bx.3 != out_h as f64;
    let src_px = src.as_raw();

    // Rows of the source the vertical pass reads.
    let y_first = ver.bounds[0].0;
    let y_last = ver.bounds[out_h - 1].0 + ver.bounds[out_h - 1].1;

    // Horizontal pass over those rows only, into an 8-bit intermediate (as Pillow does).
    let (tmp, tmp_w, row0) = if need_h {
        let rows = y_last - y_first;
        let mut tmp = vec![0u8; rows * out_w * 3];
        for y in 0..rows {
            let row = &src_px[(y + y_first) * in_w * 3..(y + y_first + 1) * in_w * 3];
            let out_row = &mut tmp[y * out_w * 3..(y + 1) * out_w * 3];
            for (xx, &(xmin, n)) in hor.bounds.iter().enumerate() {
                let k = &hor.weights[xx * hor.ksize..xx * hor.ksize + n];
                let half = 1i32 << (PRECISION_BITS - 1);
                let (mut s0, mut s1, mut s2) = (half, half, half);
                for (i, &w) in k.iter().enumerate() {
                    let p = &row[(xmin + i) * 3..(xmin + i) * 3 + 3];
                    s0 += p[0] as i32 * w;
                    s1 += p[1] as i32 * w;
                    s2 += p[2] as i32 * w;
                }
                out_row[xx * 3] = clip8(s0);
                out_row[xx * 3 + 1] = clip8(s1);
                out_row[xx * 3 + 2] = clip8(s2);
            }
        }
        (tmp, out_w, y_first)
    } else {
        (src_px.to_vec(), in_w, 0)
    };

    if !need_v {
        let rows = &tmp[(y_first - row0) * tmp_w * 3..];
        return RgbImage::from_raw(
            out_w as u32,
            out_h as u32,
            rows[..out_w * out_h * 3].to_vec(),
        )
        .expect("buffer has the output size");
    }

    let mut out = vec![0u8; out_w * out_h * 3];
    for (yy, &(ymin, n)) in ver.bounds.iter().enumerate() {
        let k = &ver.weights[yy * ver.ksize..yy * ver.ksize + n];
        let out_row = &mut out[yy * out_w * 3..(yy + 1) * out_w * 3];
        for (xx, o) in out_row.chunks_exact_mut(3).enumerate() {
            let half = 1i32 << (PRECISION_BITS - 1);
            let (mut s0, mut s1, mut s2) = (half, half, half);
            for (i, &w) in k.iter().enumerate() {
                let y = ymin + i - row0;
                let p = &tmp[(y * tmp_w + xx) * 3..(y * tmp_w + xx) * 3 + 3];
                s0 += p[0] as i32 * w;
                s1 += p[1] as i32 * w;
                s2 += p[2] as i32 * w;
            }
            o[0] = clip8(s0);
            o[1] = clip8(s1);
            o[2] = clip8(s2);
        }
    }
    RgbImage::from_raw(out_w as u32, out_h as u32, out).expect("buffer has the output size")
}

/// The crop box of the reference: the central `224/256` of the short side, as a square.
pub fn center_crop_box(width: u32, height: u32) -> (f64, f64, f64, f64) {
    let (w, h) = (width as f64, height as f64);
    let s = w.min(h) * 224.0 / 256.0;
    let (l, t) = ((w - s) / 2.0, (h - s) / 2.0);
    (l, t, l + s, t + s)
}

/// Crop + bicubic resize to the model's 224x224 input.
pub fn crop_resize(img: &RgbImage) -> RgbImage {
    let bx = center_crop_box(img.width(), img.height());
    resize_bicubic_box(img, INPUT_SIZE, INPUT_SIZE, bx)
}

/// Number of floats one preprocessed image takes (3 x 224 x 224).
pub const INPUT_LEN: usize = 3 * INPUT_SIZE * INPUT_SIZE;

/// Preprocesses one image into `out` (length [`INPUT_LEN`]): crop, bicubic resize, `(x-127)/128`,
/// channel-planar (CHW). The image must already be decoded with EXIF orientation applied.
pub fn preprocess_into(img: &RgbImage, out: &mut [f32]) {
    assert_eq!(
        out.len(),
        INPUT_LEN,
        "output buffer must hold 3x224x224 floats"
    );
    let small = crop_resize(img);
    let plane = INPUT_SIZE * INPUT_SIZE;
    for (i, p) in small.as_raw().chunks_exact(3).enumerate() {
        for c in 0..3 {
            out[c * plane + i] = (p[c] as f32 - 127.0) / 128.0;
        }
    }
}

/// Preprocesses one image into a new `[3, 224, 224]` vector (see [`preprocess_into`]).
pub fn preprocess(img: &RgbImage) -> Vec<f32> {
    let mut out = vec![0f32; INPUT_LEN];
    preprocess_into(img, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bicubic_kernel_values() {
        assert_eq!(bicubic(0.0), 1.0);
        assert_eq!(bicubic(1.0), 0.0);
        assert_eq!(bicubic(2.0), 0.0);
        assert!((bicubic(0.5) - 0.5625).abs() < 1e-12);
        assert!((bicubic(1.5) + 0.0625).abs() < 1e-12);
    }

    #[test]
    fn coefficients_sum_to_one_in_fixed_point() {
        for (in_size, in0, in1, out) in [
            (500, 31.25, 468.75, 224),
            (224, 0.0, 224.0, 224),
            (100, 10.5, 60.5, 224),
        ] {
            let c = precompute(in_size, in0, in1, out);
            for (xx, &(_, n)) in c.bounds.iter().enumerate() {
                let s: i64 = c.weights[xx * c.ksize..xx * c.ksize + n]
                    .iter()
                    .map(|&w| w as i64)
                    .sum();
                assert!((s - (1 << PRECISION_BITS)).abs() <= n as i64, "sum {s}");
            }
        }
    }

    #[test]
    fn a_flat_image_stays_flat() {
        let img = RgbImage::from_pixel(500, 375, image::Rgb([10, 128, 250]));
        let out = crop_resize(&img);
        assert_eq!(out.dimensions(), (224, 224));
        assert!(out.pixels().all(|p| p.0 == [10, 128, 250]));
        let x = preprocess(&img);
        assert_eq!(x[0], (10.0 - 127.0) / 128.0);
        assert_eq!(x[224 * 224], 1.0 / 128.0);
        assert_eq!(x[2 * 224 * 224 + 5], 123.0 / 128.0);
    }

    #[test]
    fn tiny_and_extreme_images_do_not_panic() {
        for (w, h) in [(1, 1), (1, 500), (500, 1), (3, 2), (4000, 3)] {
            let img = RgbImage::from_fn(w, h, |x, y| {
                image::Rgb([(x % 256) as u8, (y % 256) as u8, 7])
            });
            let out = crop_resize(&img);
            assert_eq!(out.dimensions(), (224, 224), "{w}x{h}");
        }
        let one = RgbImage::from_pixel(1, 1, image::Rgb([200, 100, 0]));
        assert!(crop_resize(&one).pixels().all(|p| p.0 == [200, 100, 0]));
    }

    #[test]
    fn crop_box_is_central_224_of_256() {
        assert_eq!(center_crop_box(512, 256), (144.0, 16.0, 368.0, 240.0));
    }

    /// Reference values from Pillow 10 for a 7x5 gradient image resized to 4x3 with
    /// `box=(0.5, 0.25, 6.5, 4.75)` (computed once with Python and pasted here).
    #[test]
    fn matches_pillow_on_a_small_gradient() {
        let img = RgbImage::from_fn(7, 5, |x, y| {
            image::Rgb([(x * 30 + y * 7) as u8, (y * 50) as u8, (255 - x * 20) as u8])
        });
        let out = resize_bicubic_box(&img, 4, 3, (0.5, 0.25, 6.5, 4.75));
        let got: Vec<u8> = out.as_raw().clone();
        assert_eq!(got, PILLOW_GRADIENT.to_vec());
    }

    const PILLOW_GRADIENT: [u8; 36] = [
        22, 22, 242, 71, 22, 210, 115, 22, 180, 164, 22, 148, 33, 100, 242, 82, 100, 210, 126, 100,
        180, 175, 100, 148, 44, 178, 242, 93, 178, 210, 137, 178, 180, 186, 178, 148,
    ];

    /// A 500x375 image of pseudo-random bytes (an LCG, same in the Python that made the
    /// reference), centre-cropped and resized as the classifier does; compared with the SHA-256
    /// of Pillow 13's output for the same image, for a landscape, a portrait (the image rotated
    /// by 90 degrees) and a small crop that is upscaled.
    #[test]
    fn matches_pillow_on_noise_exactly() {
        use sha2::{Digest, Sha256};
        let (w, h) = (500u32, 375u32);
        let mut s: u32 = 12345;
        let mut buf = Vec::with_capacity((w * h * 3) as usize);
        for _ in 0..w * h * 3 {
            s = (s.wrapping_mul(1103515245).wrapping_add(12345)) & 0x7fff_ffff;
            buf.push((s >> 16) as u8);
        }
        let img = RgbImage::from_raw(w, h, buf).unwrap();
        let sha = |im: &RgbImage| hex::encode(Sha256::digest(crop_resize(im).as_raw()));
        assert_eq!(
            &crop_resize(&img).as_raw()[..6],
            &[125, 161, 198, 194, 156, 119]
        );
        assert_eq!(
            sha(&img),
            "9671978e7d56914c2b5e48e43df9579d1dab152eda32c04f994e763fede32d2c"
        );
        // PIL's ROTATE_90 is counter-clockwise.
        let portrait = image::imageops::rotate270(&img);
        assert_eq!(
            sha(&portrait),
            "1d46f0a40f1532ccd2f4d8ab0acb01db0664d4b9ca16cfafbab55d8b909fb23a"
        );
        let small = image::imageops::crop_imm(&img, 0, 0, 100, 80).to_image();
        assert_eq!(
            sha(&small),
            "fcd01369d788f66c83236d2296ed91b63fb485559bbd628f595df6d6b0e56091"
        );
    }
}
