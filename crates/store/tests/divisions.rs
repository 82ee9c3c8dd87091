//! The organisation tree as stored: loaded by migrations, browsed, searched, changed with history.

use chrono::NaiveDate;
use domain::org::{DivisionCode, DivisionLevel};
use store::Store;
use store::audit::Who;
use store::divisions::{NameChange, TreeError};
use store::on_both_databases;
use store::test_support::TestDatabase;

fn code(raw: &str) -> DivisionCode {
    DivisionCode::parse(raw).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn open(db: &TestDatabase) -> Store {
    let store = Store::connect(&db.url()).await.unwrap();
    store.migrate().await.unwrap();
    store
}

async fn migrations_load_the_whole_guangzhou_tree(db: TestDatabase) {
    let store = open(&db).await;
    let counts = store.division_counts().await.unwrap();
    assert_eq!(
        counts,
        vec![
            (DivisionLevel::City, 1),
            (DivisionLevel::District, 11),
            (DivisionLevel::Street, 178),
            (DivisionLevel::Community, 2851),
        ]
    );
    let districts = store.division_children(None).await.unwrap().unwrap();
    let names: Vec<&str> = districts.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "荔湾区",
            "越秀区",
            "海珠区",
            "天河区",
            "白云区",
            "黄埔区",
            "番禺区",
            "花都区",
            "南沙区",
            "从化区",
            "增城区"
        ]
    );
    let yuexiu = districts.iter().find(|d| d.name == "越秀区").unwrap();
    assert_eq!(yuexiu.code, code("440104"));
    assert_eq!(yuexiu.child_count, 18);
    // Running the migrations again changes nothing.
    store.migrate().await.unwrap();
    assert_eq!(
        store.division_counts().await.unwrap()[3],
        (DivisionLevel::Community, 2851)
    );
}

async fn a_community_knows_its_street_district_and_history(db: TestDatabase) {
    let store = open(&db).await;
    let detail = store.division(&code("440104001007")).await.unwrap().unwrap();
    let path: Vec<&str> = detail.ancestors.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(path, ["广州市", "越秀区", "洪桥街道"]);
    assert_eq!(detail.names.len(), 1);
    assert_eq!(detail.names[0].valid_from, day(2023, 6, 30));
    assert!(store.division(&code("440104001999")).await.unwrap().is_none());
    assert!(
        store
            .division_children(Some(&code("440104999")))
            .await
            .unwrap()
            .is_none()
    );
}

async fn search_matches_part_of_a_name_and_treats_wildcards_literally(db: TestDatabase) {
    let store = open(&db).await;
    let hits = store.search_divisions("洪桥", 50).await.unwrap();
    assert_eq!(
        hits[0].division.name, "洪桥街道",
        "the street comes before its communities"
    );
    assert!(hits.iter().all(|hit| hit.division.name.contains("洪桥")));
    let hits = store.search_divisions("三眼井", 50).await.unwrap();
    let community = &hits[0];
    assert_eq!(community.division.code, code("440104001007"));
    let path: Vec<&str> = community.path.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(path, ["越秀区", "洪桥街道"]);
    assert!(store.search_divisions("%", 50).await.unwrap().is_empty());
    assert!(store.search_divisions("_", 50).await.unwrap().is_empty());
    let by_code = store.search_divisions("440104001", 50).await.unwrap();
    assert_eq!(by_code[0].division.code, code("440104001"));
    assert!(
        by_code
            .iter()
            .all(|hit| hit.division.code.as_str().starts_with("440104001"))
    );
}

async fn a_rename_keeps_every_earlier_name(db: TestDatabase) {
    let store = open(&db).await;
    let community = code("440104001007");
    let before = store.division(&community).await.unwrap().unwrap();
    let old_name = before.division.name.clone();
    let change = NameChange {
        name: "新名社区居委会",
        valid_from: day(2026, 12, 1),
        note: Some("区民政局批复"),
    };
    let after = store
        .rename_division(&Who::system("test"), &community, &change, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(after.division.name, "新名社区居委会");
    assert_eq!(after.names.len(), 2);
    assert_eq!(after.names[0].name, old_name);
    assert_eq!(after.names[0].valid_until, Some(day(2026, 12, 1)));
    assert_eq!(after.names[1].valid_until, None);
    // A rename dated on or before the current name's start would rewrite history.
    let backdated = NameChange {
        name: "再改社区",
        valid_from: day(2026, 12, 1),
        note: None,
    };
    assert!(matches!(
        store
            .rename_division(&Who::system("test"), &community, &backdated, chrono::Utc::now())
            .await,
        Err(TreeError::Rename(_))
    ));
    // A sibling's name is taken.
    let sibling = store
        .division_children(Some(&code("440104001")))
        .await
        .unwrap()
        .unwrap()[0]
        .name
        .clone();
    let clash = NameChange {
        name: &sibling,
        valid_from: day(2027, 1, 1),
        note: None,
    };
    let result = store
        .rename_division(&Who::system("test"), &community, &clash, chrono::Utc::now())
        .await;
    assert!(matches!(result, Err(TreeError::NameInUse { .. })) || sibling == "新名社区居委会");
    // Searching finds the new name, not the old one.
    assert_eq!(store.search_divisions("新名社区", 10).await.unwrap().len(), 1);
}

async fn a_new_community_joins_its_street(db: TestDatabase) {
    let store = open(&db).await;
    let street = code("440104001");
    let before = store
        .division(&street)
        .await
        .unwrap()
        .unwrap()
        .division
        .child_count;
    let change = NameChange {
        name: "试点社区居委会",
        valid_from: day(2026, 11, 1),
        note: None,
    };
    store
        .add_division(
            &Who::system("test"),
            &code("440104001090"),
            &street,
            &change,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .division(&street)
            .await
            .unwrap()
            .unwrap()
            .division
            .child_count,
        before + 1
    );
    let again = store
        .add_division(
            &Who::system("test"),
            &code("440104001090"),
            &street,
            &change,
            chrono::Utc::now(),
        )
        .await;
    assert!(matches!(again, Err(TreeError::CodeInUse(_))));
    let same_name = store
        .add_division(
            &Who::system("test"),
            &code("440104001091"),
            &street,
            &change,
            chrono::Utc::now(),
        )
        .await;
    assert!(matches!(same_name, Err(TreeError::NameInUse { .. })));
    let missing = store
        .add_division(
            &Who::system("test"),
            &code("440104099001"),
            &code("440104099"),
            &change,
            chrono::Utc::now(),
        )
        .await;
    assert!(matches!(missing, Err(TreeError::NotFound(_))));
}

on_both_databases!(
    migrations_load_the_whole_guangzhou_tree,
    a_community_knows_its_street_district_and_history,
    search_matches_part_of_a_name_and_treats_wildcards_literally,
    a_rename_keeps_every_earlier_name,
    a_new_community_joins_its_street,
);
