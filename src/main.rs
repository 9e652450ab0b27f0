//! The `ketnap` binary: parses the command line and hands over to the library.

/// mimalloc instead of the system allocator: glibc's malloc took a sixth of the server's CPU
/// under dashboard load, with its arenas contending on a lock, and it keeps the freed memory of
/// SQLite's worker threads in per-thread arenas (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    ketnap::cli::run().await
}
