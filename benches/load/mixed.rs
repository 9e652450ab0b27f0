//! The workload a national deployment has (issue 16 §5): dashboards reading — the drill-down of
//! each of up to ten provinces and the full overview of three, round robin — while someone
//! elsewhere writes: a commune's assigned target in one of the other provinces, changed at a
//! fixed rate (each write a real change, so it is audited and announced like any other). The
//! reads are timed as any scenario is; the writes run beside them on their own clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use futures::FutureExt;
use ketnap::calendar::OPEN_END;
use ketnap::graphql::ids::{NodeKind, to_global};
use ketnap::sql::statement;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use serde_json::{Value, json};

use super::runner::{Measurement, Operation, measure};
use super::scenarios::{DRILL_DOWN, PROVINCE_OVERVIEW, Prepared, post};

const SET_TARGET: &str = "mutation($input: SetTargetInput!) { setTarget(input: $input) { target { value } } }";

/// Where the writer writes: in the provinces the dashboards read, or in the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writes {
    /// In the provinces not read (the other 53 of the national database).
    Elsewhere,
    /// In the provinces read: each write reaches a province whose dashboards are being read.
    Inside,
}

/// The dashboards' requests and the communes the writer changes.
pub struct Mixed {
    /// Drill-downs of the provinces read, then overviews of the first three of them.
    pub reads: Vec<Value>,
    /// One active commune in each province written in (`Writes`).
    pub communes: Vec<String>,
    pub year: i32,
}

/// Picks the provinces the dashboards read (the first `read` by code) and the communes written,
/// in the other provinces or in those read (`writes`).
pub async fn plan(db: &DatabaseConnection, year: i32, read: usize, writes: Writes) -> Result<Mixed, DbErr> {
    let backend = db.get_database_backend();
    let provinces: Vec<String> = db
        .query_all_raw(statement(
            backend,
            "SELECT code FROM units WHERE level = 'PROVINCE' AND dissolved_on IS NULL ORDER BY code",
            vec![],
        ))
        .await?
        .iter()
        .map(|row| row.try_get::<String>("", "code"))
        .collect::<Result<_, _>>()?;
    let read = &provinces[..provinces.len().min(read)];
    let mut reads: Vec<Value> =
        read.iter().map(|code| json!({ "query": DRILL_DOWN, "variables": { "code": code, "year": year } })).collect();
    reads.extend(
        read.iter()
            .take(3)
            .map(|code| json!({ "query": PROVINCE_OVERVIEW, "variables": { "code": code, "year": year } })),
    );
    // The first active commune (by id) of each province written in.
    let among = if writes == Writes::Inside { "IN" } else { "NOT IN" };
    let rows = db
        .query_all_raw(statement(
            backend,
            &format!(
                "SELECT MIN(u.id) AS id FROM units u JOIN unit_closure c ON c.descendant_id = u.id \
                 JOIN units p ON p.id = c.ancestor_id \
                 WHERE p.level = 'PROVINCE' AND c.valid_to = ? AND u.level = 'COMMUNE' AND u.dissolved_on IS NULL \
                 AND p.code {among} (SELECT code FROM units WHERE level = 'PROVINCE' AND dissolved_on IS NULL \
                                    ORDER BY code LIMIT ?) \
                 GROUP BY p.id ORDER BY p.id"
            ),
            vec![OPEN_END.into(), (read.len() as i64).into()],
        ))
        .await?;
    let communes = rows
        .iter()
        .map(|row| row.try_get::<i64>("", "id").map(|id| to_global(NodeKind::Unit, id).to_string()))
        .collect::<Result<_, _>>()?;
    Ok(Mixed { reads, communes, year })
}

/// What one mixed run measured: the reads, and the writes done beside them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MixedRun {
    pub writes_per_second: f64,
    pub reads: Measurement,
    pub writes: usize,
    pub write_errors: usize,
}

/// Reads at `concurrency` for `duration` while a writer changes a target `writes_per_second` times
/// a second (none at 0), round robin over the other provinces' communes.
pub async fn run(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    mixed: &Mixed,
    writes_per_second: f64,
    concurrency: usize,
    duration: Duration,
) -> Result<MixedRun, String> {
    let reads: Vec<Prepared> =
        mixed.reads.iter().map(|read| Prepared::new(base, token, read)).collect::<Result<_, _>>()?;
    let (reads, reader) = (Arc::new(reads), client.clone());
    let read: Operation = Arc::new(move |index| {
        let (client, reads) = (reader.clone(), reads.clone());
        async move { Some(reads[index % reads.len()].send(&client).await) }.boxed()
    });
    let (done, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = (writes_per_second > 0.0 && !mixed.communes.is_empty()).then(|| {
        let (client, base, token) = (client.clone(), base.to_owned(), token.to_owned());
        let (communes, year, done, failed) = (mixed.communes.clone(), mixed.year, done.clone(), failed.clone());
        let stop = stop.clone();
        // Values from this run's clock, so that no write repeats the value a commune already has
        // (from an earlier run too): a write that changes nothing files nothing, and the cache
        // then forgets everything (see BENCHMARKS.md, "Mixed workload").
        let first_value = 1_000 + (chrono::Utc::now().timestamp_millis() % 500_000) as usize;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / writes_per_second));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            for write in 0.. {
                tick.tick().await;
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let unit = &communes[write % communes.len()];
                // A value that differs from the last one written to this commune.
                let value = first_value + write / communes.len();
                let input = json!({ "target": { "unitId": unit, "kind": "ASSIGNED", "year": year }, "value": value });
                let request = json!({ "query": SET_TARGET, "variables": { "input": input } });
                match post(&client, &base, &token, &request).await {
                    Ok(_) => done.fetch_add(1, Ordering::SeqCst),
                    Err(_) => failed.fetch_add(1, Ordering::SeqCst),
                };
            }
        })
    });
    let reads = measure(read, concurrency, duration, None).await;
    // The writer stops between writes, not in one: a write cut off mid-request would be
    // cancelled inside the server while whatever runs next (a scenario, a test) has started.
    stop.store(true, Ordering::SeqCst);
    if let Some(writer) = writer {
        let _ = writer.await;
    }
    Ok(MixedRun {
        writes_per_second,
        reads,
        writes: done.load(Ordering::SeqCst),
        write_errors: failed.load(Ordering::SeqCst),
    })
}
