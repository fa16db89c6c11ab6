//! Models for Banana: fetching model files, converting checkpoints to ONNX and running inference.
