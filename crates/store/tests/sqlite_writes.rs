//! SQLite under concurrent load: read-then-write transactions from many tasks all succeed, because
//! every write goes through the one writer connection (with several writers, some would fail at once
//! with "database is locked").

use chrono::NaiveDate;
use domain::org::DivisionCode;
use store::Store;
use store::audit::Who;
use store::divisions::NameChange;
use store::test_support::TestDatabase;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_read_then_write_transactions_all_commit_on_sqlite() {
    let db = TestDatabase::sqlite();
    let store = Store::connect(&db.url()).await.unwrap();
    store.migrate().await.unwrap();
    let mut communities = Vec::new();
    for street in ["440104001", "440104003", "440104004", "440104005"] {
        let code = DivisionCode::parse(street).unwrap();
        communities.extend(store.division_children(Some(&code)).await.unwrap().unwrap());
    }
    assert!(communities.len() >= 30, "enough distinct rows to write at once");
    let mut tasks = Vec::new();
    for (index, community) in communities.iter().enumerate() {
        // Each task renames its own community: it reads the current name, checks it, then writes
        // three rows and an audit entry, all in one transaction.
        let writer = store.clone();
        let code = community.code.clone();
        tasks.push(tokio::spawn(async move {
            let name = format!("并发测试{index}号社区");
            let change = NameChange {
                name: &name,
                valid_from: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
                note: None,
            };
            writer
                .rename_division(&Who::system("test"), &code, &change, chrono::Utc::now())
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }));
        // Readers run at the same time as the writers.
        let reader = store.clone();
        tasks.push(tokio::spawn(async move {
            reader
                .search_divisions("社区", 20)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }));
    }
    let total = tasks.len();
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(err) = task.await.unwrap() {
            failures.push(err);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} transactions failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    for community in &communities {
        let renamed = store.division(&community.code).await.unwrap().unwrap();
        assert!(
            renamed.division.name.starts_with("并发测试"),
            "{}",
            renamed.division.name
        );
        assert_eq!(renamed.names.len(), 2);
    }
    let report = store.verify_audit_chain().await.unwrap();
    assert_eq!(
        report.broken, None,
        "concurrent appends keep the audit chain intact"
    );
    assert_eq!(report.entries, communities.len() as u64);
}
