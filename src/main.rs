//! The `ketnap` binary: parses the command line and hands over to the library.

/// mimalloc rather than the system allocator: a GraphQL request allocates and frees thousands of
/// small values (a future per field, a map per object, the JSON), and glibc's malloc took about a
/// fifth of the server's time on the cold dashboards (BENCHMARKS.md, "The allocator"). Built
/// without transparent huge pages (`no_thp`): with them, its arenas grew the server's peak memory
/// from 47 to 58 MiB under 32 concurrent overviews, past the 60 MB goal.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    ketnap::cli::run().await
}
