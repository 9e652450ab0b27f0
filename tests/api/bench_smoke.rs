//! The load benchmark's scenarios, once each at the small generated scale, so they cannot rot:
//! every read answers without errors over HTTP and equals its raw-SQL floor, the mixed workload's
//! reads and writes run without errors, and the admit mutation succeeds on the candidates the
//! benchmark prepares.

#[path = "../../benches/load/dashboards.rs"]
pub mod dashboards;
#[path = "../../benches/load/floors.rs"]
mod floors;
#[path = "../../benches/load/mixed.rs"]
mod mixed;
#[path = "../../benches/load/runner.rs"]
mod runner;
#[path = "../../benches/load/scenarios.rs"]
mod scenarios;

use std::sync::Arc;
use std::time::Duration;

use chrono::Datelike;
use futures::FutureExt;
use ketnap::calendar::today_in_vietnam;
use ketnap::generate::{GenerateOptions, Scale, generate};

use crate::common::TestApp;
use crate::http::{admin_token, start_with, test_settings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_benchmark_scenario_runs_once_at_small_scale() {
    let app = TestApp::new().await;
    generate(&app.db, GenerateOptions { scale: Scale::Small, seed: 1, progress: false })
        .await
        .expect("the small scale generates");
    // As the benchmark's server runs: no rate limit, no points budget.
    let unlimited =
        ketnap::config::ServeArgs { rate_limit_per_minute: 0, rate_limit_points_per_minute: 0, ..test_settings() };
    let base = start_with(&app, &unlimited).await;
    let token = admin_token();
    let client = reqwest::Client::new();
    let today = today_in_vietnam();
    let aim = scenarios::aim(&app.db, today.year() - 1, today).await.expect("something to aim at");

    let reads = scenarios::reads(&client, &base, &token, &aim, 3).await.expect("the read scenarios");
    assert_eq!(reads.len(), 10);
    for scenario in &reads {
        let data = scenarios::post(&client, &base, &token, &scenario.request)
            .await
            .unwrap_or_else(|err| panic!("{}: {err}", scenario.name));
        let floor = scenario.floor.as_ref().expect("every read has a floor");
        let raw = floor.run(&app.db).await.unwrap_or_else(|err| panic!("{}: the floor failed: {err}", scenario.name));
        assert!(scenarios::same(&data, &raw), "{}:\nAPI:   {data}\nfloor: {raw}", scenario.name);
    }

    // The runner checks bodies: an answer with `errors` is a failure, not a success.
    let broken = serde_json::json!({ "query": "{ unit(code: \"NO-SUCH-UNIT\") { name } }" });
    // Timed calls go through `Prepared::send`, which checks less of the answer than `post` builds:
    // it must still count an answer with `errors` (and `data: null`) as a failure.
    let (client2, broken) = (client.clone(), scenarios::Prepared::new(&base, &token, &broken).expect("prepared"));
    let operation: runner::Operation = Arc::new(move |_| {
        let (client, broken) = (client2.clone(), broken.clone());
        async move { Some(broken.send(&client).await) }.boxed()
    });
    let measured = runner::measure(operation, 1, Duration::from_secs(5), Some(2)).await;
    assert_eq!((measured.requests, measured.errors), (2, 2));
    let partial =
        serde_json::json!({ "query": "{ node(id: \"not-an-id\") { id } provinces(first: 1) { totalCount } }" });
    let partial = scenarios::Prepared::new(&base, &token, &partial).expect("prepared");
    let error = partial.send(&client).await.expect_err("data beside errors is a failure");
    assert!(error.contains("errors"), "{error}");

    // The mixed workload: one province's dashboards read while the other's communes are written.
    // Then while the province read is written in itself.
    for writes in [mixed::Writes::Elsewhere, mixed::Writes::Inside] {
        let plan = mixed::plan(&app.db, aim.year, 1, writes).await.expect("the mixed workload's plan");
        assert_eq!(plan.reads.len(), 2, "one drill-down and one overview");
        assert_eq!(plan.communes.len(), 1, "a commune of one province to write: {writes:?}");
        let run =
            mixed::run(&client, &base, &token, &plan, 20.0, 2, Duration::from_secs(1)).await.expect("the mixed run");
        assert_eq!((run.reads.errors, run.write_errors), (0, 0), "{:?}", run.reads.first_error);
        assert!(run.reads.requests > 0 && run.writes > 0, "{run:?}");
    }

    let admissions = scenarios::admissions(&app.db, &aim, 2).await.expect("admissions prepared");
    for request in &admissions {
        scenarios::post(&client, &base, &token, request).await.expect("the admission is accepted");
    }
}
