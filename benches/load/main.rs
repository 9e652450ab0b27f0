//! The load benchmark (issue 6): drives the real server over HTTP at several concurrencies and
//! times, in the same run, the hand-written SQL that computes the same answers (the floor). The
//! headline figure is GraphQL ÷ raw SQL. Every response is checked for errors (HTTP 200 with
//! `errors` counts as a failure) and every floor's answer is compared with the API's first.
//!
//! ```sh
//! cargo build --release
//! cargo bench --bench load -- --database-url postgres://postgres@127.0.0.1:5432/ketnap_bench_national
//! ```
//! See BENCHMARKS.md for the procedure and the results.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod dashboards;
mod floors;
mod mixed;
mod runner;
mod scenarios;
mod server;

use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use futures::FutureExt;
use ketnap::auth::Role;
use ketnap::auth::token::TokenKeys;
use runner::{Measurement, Operation, measure};
use scenarios::{Prepared, Scenario, post};
use serde_json::{Value, json};

/// Load benchmark of the ketnap server.
#[derive(Debug, Parser)]
struct Args {
    /// The database to benchmark (filled by `ketnap generate`); the server and the floor share it.
    #[arg(long)]
    database_url: String,
    /// The server binary.
    #[arg(long, default_value = "target/release/ketnap")]
    server_bin: String,
    /// The year the dashboards ask for (default: last year).
    #[arg(long)]
    year: Option<i32>,
    /// Seconds each measurement runs.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Concurrency levels.
    #[arg(long, value_delimiter = ',', default_value = "1,4,32")]
    concurrency: Vec<usize>,
    /// Admit mutations per concurrency level.
    #[arg(long, default_value_t = 200)]
    admissions: usize,
    /// Which page of the candidate list is the deep one (pages of 20).
    #[arg(long, default_value_t = 50)]
    deep_page: usize,
    /// Writes per second elsewhere in the country during the mixed workload (`--only mixed`).
    #[arg(long, value_delimiter = ',', default_value = "0,1,5")]
    mixed_writes: Vec<f64>,
    /// In the mixed workload, write in the provinces the dashboards read instead of the others.
    #[arg(long)]
    mixed_inside: bool,
    /// Concurrent dashboard readers in the mixed workload.
    #[arg(long, default_value_t = 4)]
    mixed_concurrency: usize,
    /// Only scenarios whose name contains this.
    #[arg(long)]
    only: Option<String>,
    /// A label for the report (scale, database).
    #[arg(long, default_value = "")]
    label: String,
    /// Also write the results as JSON here.
    #[arg(long)]
    json: Option<String>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

#[derive(serde::Serialize)]
struct Row {
    scenario: String,
    graphql: Measurement,
    floor: Option<Measurement>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(message) = run(args).await {
        eprintln!("benchmark failed: {message}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), String> {
    let today = ketnap::calendar::today_in_vietnam();
    let year = args.year.unwrap_or_else(|| chrono::Datelike::year(&today) - 1);
    let max_concurrency = args.concurrency.iter().copied().max().unwrap_or(1) as u32;
    let db = ketnap::db::connect(&args.database_url, max_concurrency + 2).await.map_err(|err| err.to_string())?;
    let aim = scenarios::aim(&db, year, today).await.map_err(|err| err.to_string())?;
    eprintln!("aiming at {aim:?}");

    let server = server::Server::start(&args.server_bin, &args.database_url).await?;
    let startup_rss = server.rss_mib();
    let keys = TokenKeys::from_secret(server.secret.as_bytes(), "ketnap", "ketnap")?;
    let token = keys.issue("benchmark", "Benchmark", Role::Admin, "*", chrono::Duration::hours(4))?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(256).build().map_err(|err| err.to_string())?;

    let mut reads = scenarios::reads(&client, &server.base_url, &token, &aim, args.deep_page).await?;
    if let Some(only) = &args.only {
        reads.retain(|scenario| scenario.name.contains(only.as_str()));
    }
    for scenario in &reads {
        check_floor(&client, &server.base_url, &token, &db, scenario).await?;
    }

    let duration = Duration::from_secs_f64(args.seconds);
    let mut results = Vec::new();
    println!("\n{}\n", args.label);
    println!("| scenario | c | GraphQL p50 ms | p99 ms | req/s | errors | SQL p50 ms | p99 ms | req/s | ratio (p50) |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for scenario in &reads {
        for &concurrency in &args.concurrency {
            let http = http_operation(&client, &server.base_url, &token, &scenario.request)?;
            measure(http.clone(), concurrency, Duration::from_millis(300), None).await;
            let graphql = measure(http, concurrency, duration, None).await;
            let floor = match &scenario.floor {
                Some(floor) => {
                    let operation = floor_operation(&db, floor.clone());
                    measure(operation.clone(), concurrency, Duration::from_millis(300), None).await;
                    Some(measure(operation, concurrency, duration, None).await)
                }
                None => None,
            };
            print_row(scenario.name, &graphql, floor.as_ref());
            results.push(Row { scenario: scenario.name.to_owned(), graphql, floor });
        }
    }
    if args.only.as_deref().is_none_or(|only| "admit".contains(only)) {
        for &concurrency in &args.concurrency {
            let requests = scenarios::admissions(&db, &aim, args.admissions).await?;
            let requests = Arc::new(requests);
            let (client, base, token) = (client.clone(), server.base_url.clone(), token.clone());
            let operation: Operation = Arc::new(move |index| {
                let (client, base, token, requests) = (client.clone(), base.clone(), token.clone(), requests.clone());
                async move {
                    let request = requests.get(index)?;
                    Some(post(&client, &base, &token, request).await.map(|_| ()))
                }
                .boxed()
            });
            let graphql = measure(operation, concurrency, Duration::from_secs(600), Some(args.admissions)).await;
            print_row("admit (with its audit record)", &graphql, None);
            results.push(Row { scenario: "admit".into(), graphql, floor: None });
        }
    }

    let mut mixed_runs = Vec::new();
    if args.only.as_deref().is_none_or(|only| "mixed".contains(only)) {
        let writes = if args.mixed_inside { mixed::Writes::Inside } else { mixed::Writes::Elsewhere };
        let plan = mixed::plan(&db, year, 10, writes).await.map_err(|err| err.to_string())?;
        let whose = if args.mixed_inside { "of the provinces read" } else { "other" };
        println!(
            "\nmixed: {} dashboard requests round robin, writes in {} {whose} provinces\n",
            plan.reads.len(),
            plan.communes.len()
        );
        println!("| writes/s | c | reads p50 ms | p99 ms | req/s | errors | writes done | write errors |");
        println!("|---|---|---|---|---|---|---|---|");
        for &writes in &args.mixed_writes {
            let run =
                mixed::run(&client, &server.base_url, &token, &plan, writes, args.mixed_concurrency, duration).await?;
            let r = &run.reads;
            println!(
                "| {} | {} | {:.2} | {:.2} | {:.0} | {} | {} | {} |",
                writes, r.concurrency, r.p50_ms, r.p99_ms, r.per_second, r.errors, run.writes, run.write_errors
            );
            mixed_runs.push(run);
        }
    }

    let peak = server.peak_rss_mib();
    println!(
        "\nserver RSS: {:.1} MiB after start, {:.1} MiB peak ({})",
        startup_rss.unwrap_or(f64::NAN),
        peak.unwrap_or(f64::NAN),
        args.label
    );
    let failures: usize =
        results.iter().map(|row| row.graphql.errors + row.floor.as_ref().map_or(0, |f| f.errors)).sum::<usize>()
            + mixed_runs.iter().map(|run| run.reads.errors + run.write_errors).sum::<usize>();
    if let Some(path) = &args.json {
        let report = json!({ "label": args.label, "year": year, "seconds": args.seconds,
                             "startup_rss_mib": startup_rss, "peak_rss_mib": peak, "results": results,
                             "mixed": mixed_runs });
        std::fs::write(path, serde_json::to_string_pretty(&report).unwrap_or_default())
            .map_err(|err| err.to_string())?;
    }
    server.stop().await;
    if failures > 0 {
        let first = results.iter().find_map(|row| row.graphql.first_error.clone()).unwrap_or_default();
        return Err(format!("{failures} failed requests; the first: {first}"));
    }
    Ok(())
}

/// The floor must answer what the API answers, or the ratio means nothing.
async fn check_floor(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    db: &sea_orm::DatabaseConnection,
    scenario: &Scenario,
) -> Result<(), String> {
    let data = post(client, base, token, &scenario.request).await?;
    if let Some(floor) = &scenario.floor {
        let raw = floor.run(db).await.map_err(|err| format!("{}: the floor failed: {err}", scenario.name))?;
        if !scenarios::same(&data, &raw) {
            return Err(format!(
                "{}: the floor's answer differs from the API's\nAPI:   {data}\nfloor: {raw}",
                scenario.name
            ));
        }
    }
    Ok(())
}

fn http_operation(client: &reqwest::Client, base: &str, token: &str, request: &Value) -> Result<Operation, String> {
    let (client, request) = (client.clone(), Prepared::new(base, token, request)?);
    Ok(Arc::new(move |_| {
        let (client, request) = (client.clone(), request.clone());
        async move { Some(request.send(&client).await) }.boxed()
    }))
}

fn floor_operation(db: &sea_orm::DatabaseConnection, floor: scenarios::Floor) -> Operation {
    let (db, floor) = (db.clone(), Arc::new(floor));
    Arc::new(move |_| {
        let (db, floor) = (db.clone(), floor.clone());
        async move { Some(floor.run(&db).await.map(|_| ()).map_err(|err| err.to_string())) }.boxed()
    })
}

fn print_row(name: &str, graphql: &Measurement, floor: Option<&Measurement>) {
    let floor_text = floor.map_or_else(
        || "| – | – | – | –".to_owned(),
        |f| format!("| {:.2} | {:.2} | {:.0} | {:.2}", f.p50_ms, f.p99_ms, f.per_second, graphql.p50_ms / f.p50_ms),
    );
    println!(
        "| {name} | {} | {:.2} | {:.2} | {:.0} | {} {floor_text} |",
        graphql.concurrency, graphql.p50_ms, graphql.p99_ms, graphql.per_second, graphql.errors
    );
}
