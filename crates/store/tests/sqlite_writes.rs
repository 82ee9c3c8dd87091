//! SQLite under concurrent load: read-then-write transactions from many tasks all succeed, because
//! every write goes through the one writer connection (with several writers, some would fail at once
//! with "database is locked").

use chrono::NaiveDate;
use domain::org::DivisionCode;
use store::Store;
use store::divisions::NameChange;
use store::test_support::TestDatabase;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_read_then_write_transactions_all_commit_on_sqlite() {
    let db = TestDatabase::sqlite();
    let store = Store::connect(&db.url()).await.unwrap();
    store.migrate().await.unwrap();
    let communities = store
        .division_children(Some(&DivisionCode::parse("440104001").unwrap()))
        .await
        .unwrap()
        .unwrap();
    let mut tasks = Vec::new();
    for round in 0..4u32 {
        for (index, community) in communities.iter().enumerate() {
            let writer = store.clone();
            let code = community.code.clone();
            tasks.push(tokio::spawn(async move {
                let name = format!("并发测试{index}号第{round}次");
                let change = NameChange {
                    name: &name,
                    valid_from: NaiveDate::from_ymd_opt(2030, 1, 1 + round).unwrap(),
                    note: None,
                };
                writer.rename_division(&code, &change).await.map(|_| ())
            }));
            // Readers run at the same time as the writers.
            let reader = store.clone();
            tasks.push(tokio::spawn(async move {
                reader
                    .search_divisions("社区", 20)
                    .await
                    .map(|_| ())
                    .map_err(Into::into)
            }));
        }
    }
    let total = tasks.len();
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(err) = task.await.unwrap() {
            failures.push(err.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} transactions failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    let renamed = store.division(&communities[0].code).await.unwrap().unwrap();
    assert_eq!(renamed.names.len(), 5, "the original name and four renames");
}
