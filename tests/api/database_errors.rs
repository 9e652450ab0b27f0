//! Database errors reach the caller sorted by the database's own codes (`ketnap::error`): a
//! duplicate key (SQLSTATE 23505; SQLite 2067, 1555) and the losing side of a race (SQLSTATE
//! 40001 / 40P01; SQLite SQLITE_BUSY / SQLITE_LOCKED) are CONFLICT, raised here for real on the
//! backend under test.

use ketnap::error::AppError;
use sea_orm::{ConnectionTrait, DbErr, IsolationLevel, TransactionTrait};

use crate::common::TestApp;

const DUPLICATE: &str = "the change conflicts with an existing record";
const RETRY: &str = "a concurrent change got there first; retry the request";

fn sorted(err: DbErr) -> (&'static str, String) {
    let err = AppError::from(err);
    (err.code(), err.message())
}

#[tokio::test]
async fn a_duplicate_unique_or_primary_key_is_a_conflict() {
    let app = TestApp::new().await;
    app.db.execute_unprepared("CREATE TABLE probe_unique (k VARCHAR(8) NOT NULL UNIQUE)").await.unwrap();
    app.db.execute_unprepared("CREATE TABLE probe_key (k INTEGER PRIMARY KEY)").await.unwrap();
    app.db.execute_unprepared("INSERT INTO probe_unique (k) VALUES ('a')").await.unwrap();
    app.db.execute_unprepared("INSERT INTO probe_key (k) VALUES (1)").await.unwrap();
    let unique = app.db.execute_unprepared("INSERT INTO probe_unique (k) VALUES ('a')").await.unwrap_err();
    assert_eq!(sorted(unique), ("CONFLICT", DUPLICATE.to_owned()));
    let key = app.db.execute_unprepared("INSERT INTO probe_key (k) VALUES (1)").await.unwrap_err();
    assert_eq!(sorted(key), ("CONFLICT", DUPLICATE.to_owned()));
    // A NOT NULL violation is a fault of ours, not a conflict.
    let null = app.db.execute_unprepared("INSERT INTO probe_unique (k) VALUES (NULL)").await.unwrap_err();
    assert_eq!(sorted(null).0, "INTERNAL");
}

#[tokio::test]
async fn the_losing_side_of_a_race_is_a_conflict_to_retry() {
    let app = TestApp::new().await;
    app.db.execute_unprepared("CREATE TABLE probe_race (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)").await.unwrap();
    app.db.execute_unprepared("INSERT INTO probe_race (k, v) VALUES (1, 1)").await.unwrap();
    let lost = if app.is_postgres() {
        // REPEATABLE READ: the snapshot is taken, another transaction changes the row, and the
        // update of that row fails with 40001 (could not serialize access).
        let txn = app.db.begin_with_config(Some(IsolationLevel::RepeatableRead), None).await.unwrap();
        txn.execute_unprepared("SELECT v FROM probe_race WHERE k = 1").await.unwrap();
        app.db.execute_unprepared("UPDATE probe_race SET v = 2 WHERE k = 1").await.unwrap();
        let lost = txn.execute_unprepared("UPDATE probe_race SET v = 3 WHERE k = 1").await.unwrap_err();
        txn.rollback().await.unwrap();
        lost
    } else {
        // One writer holds the write lock; another that will not wait gets SQLITE_BUSY.
        let holder = ketnap::db::begin_write(&app.db).await.unwrap();
        holder.execute_unprepared("UPDATE probe_race SET v = 2 WHERE k = 1").await.unwrap();
        let other = app.db.begin().await.unwrap();
        other.execute_unprepared("PRAGMA busy_timeout = 0").await.unwrap();
        let lost = other.execute_unprepared("UPDATE probe_race SET v = 3 WHERE k = 1").await.unwrap_err();
        other.rollback().await.unwrap();
        holder.commit().await.unwrap();
        lost
    };
    assert_eq!(sorted(lost), ("CONFLICT", RETRY.to_owned()));
}
