//! The binary says which JPEG code path it runs (issue 14, item 15): `banana config` and
//! `banana bench ingest` print `JPEG codec: …`, read from the linked libjpeg-turbo itself, so a
//! build without nasm (plain C, 2–3× slower thumbnails) is visible instead of silent.

mod common;

/// `banana args…` in a scratch folder of its own (its data and temporary files there, see
/// `common::banana`): whether it succeeded, and its stdout.
fn banana(args: &[&str]) -> (bool, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = common::banana(&tmp.path().join("data"))
        .args(args)
        .current_dir(tmp.path())
        .env("TMPDIR", tmp.path())
        .output()
        .expect("run banana");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn codec_line(stdout: &str) -> String {
    stdout
        .lines()
        .find(|l| l.starts_with("JPEG codec: "))
        .unwrap_or_else(|| panic!("no `JPEG codec:` line in\n{stdout}"))
        .to_string()
}

#[test]
fn config_reports_the_jpeg_codec_the_library_runs() {
    let (ok, stdout) = banana(&["config"]);
    assert!(ok);
    let line = codec_line(&stdout);
    let x86 = cfg!(any(target_arch = "x86_64", target_arch = "x86"));
    if x86 && banana_core::media::codec::NASM_AT_BUILD {
        // nasm was there when this was built, so libjpeg-turbo must have its SIMD kernels
        // (fails for a mozjpeg-sys built before nasm was installed: `cargo clean -p mozjpeg-sys`).
        assert!(
            line.starts_with("JPEG codec: libjpeg-turbo SIMD ("),
            "{line}"
        );
    } else if x86 {
        assert!(
            line.contains("without SIMD") && line.contains("nasm"),
            "{line}"
        );
    } else {
        assert!(line.starts_with("JPEG codec: libjpeg-turbo"), "{line}");
    }
}

#[test]
fn bench_ingest_says_which_jpeg_path_it_runs() {
    let (Some(data), Some(_)) = (common::imagenet_sample(), common::need_models()) else {
        return;
    };
    let (ok, stdout) = banana(&[
        "bench",
        "ingest",
        &data.display().to_string(),
        "--limit",
        "2",
    ]);
    assert!(ok, "{stdout}");
    let line = codec_line(&stdout);
    assert!(line.contains("libjpeg-turbo"), "{line}");
    // The same line as `banana config` (one source: the linked library).
    let (_, config) = banana(&["config"]);
    assert_eq!(line, codec_line(&config));
}
