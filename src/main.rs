//! The `ketnap` binary: parses the command line and hands over to the library.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    ketnap::cli::run().await
}
