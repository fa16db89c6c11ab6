//! Giving the memory that image analysis freed back to the system.
//!
//! A batch of analyses frees hundreds of megabytes in blocks of 0.1–30 MB (decoded photos,
//! resize buffers, ONNX Runtime's per-run tensors: see `runtime::Inputs::Varying`). glibc's
//! malloc keeps such blocks in its heap arenas for the next allocation, so a server held 635 MiB
//! after 42 uploads that needed 370 MiB. Making every large block its own mapping
//! (`M_MMAP_THRESHOLD` = 256 KiB) returned it as well, but cost 2x the CPU time (69 s of it in
//! the kernel, zeroing fresh pages, for 60 uploads), because OCR allocates and frees its tensors
//! on every text line. Trimming after each analyzer run keeps the reuse inside a run and
//! returns the rest: after 60 uploads (20 of them 12 MP) a server is back at 292–325 MiB
//! instead of 552–578, for about 7% more CPU time (`bench/memory/server_rss.sh`).

/// Returns the free pages of every malloc arena to the system (`malloc_trim(0)`): call it after
/// each analyzer run. Takes about a millisecond; does nothing on other allocators
/// than glibc's.
pub fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes each arena's lock and only releases pages that hold no
    // allocation; it is valid from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
