//! The database holds only what the code knows, and the code reads nothing else as a default: a state
//! column refuses unknown values, a row made corrupt behind the application's back reads as an
//! internal error (never as "received"), and a district's room names stay distinct under racing
//! requests. On both databases.

mod common;

use common::{TestApp, call};
use reqwest::Method;
use serde_json::json;
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn state_columns_refuse_values_the_code_does_not_know(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let store = store::Store::connect(&app.db.url()).await.unwrap();
    for sql in [
        "UPDATE opinions SET state = 'lost'",
        "UPDATE opinions SET rating = 'so-so'",
        "UPDATE opinion_steps SET action = 'shrug'",
        "UPDATE rooms SET kind = 'castle'",
        "UPDATE rooms SET status = 'ajar'",
        "UPDATE members SET level = 'galactic'",
        "UPDATE accounts SET role = 'root'",
        "UPDATE activities SET status = 'maybe'",
        "UPDATE reception_sessions SET status = 'someday'",
    ] {
        assert!(store.try_raw_for_test(sql).await.is_err(), "accepted: {sql}");
    }
    // NULL is still "not yet" where a column allows it, and known values pass.
    store
        .try_raw_for_test("UPDATE opinions SET rating = NULL WHERE rating IS NOT NULL")
        .await
        .unwrap();
    store
        .try_raw_for_test("UPDATE rooms SET status = 'open'")
        .await
        .unwrap();
    store.close().await;
}

async fn a_corrupt_row_is_an_internal_error_not_a_default(db: TestDatabase) {
    let postgres = db.kind() == "postgres";
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let (status, case) = call(&app, &city, Method::GET, "/api/v1/opinions/1", None).await;
    assert_eq!(status, 200, "{case}");
    // Tamper as a hand edit would: lift the guard, write a state no code knows.
    let store = store::Store::connect(&app.db.url()).await.unwrap();
    let lift = if postgres {
        "ALTER TABLE opinions DROP CONSTRAINT opinions_state_known"
    } else {
        "DROP TRIGGER opinions_state_known_update"
    };
    store.try_raw_for_test(lift).await.unwrap();
    store
        .try_raw_for_test("UPDATE opinions SET state = 'lost' WHERE id = 1")
        .await
        .unwrap();
    store.close().await;
    let (status, body) = call(&app, &city, Method::GET, "/api/v1/opinions/1", None).await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(
        body["error"]["message"], "系统出现内部错误，已记录，请稍后再试",
        "{body}"
    );
    assert!(!body.to_string().contains("lost"), "{body}");
}

async fn one_district_cannot_get_two_rooms_of_one_name_even_at_once(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let district = app.token("demo-district").await;
    let new = json!({
        "name": "北京街政协委员工作室", "kind": "fixed", "division_code": "440104003",
        "address": "北京街道党群服务中心"
    });
    let requests = (0..8)
        .map(|_| {
            app.with_token(Method::POST, "/api/v1/rooms", &district)
                .json(&new)
        })
        .collect();
    let statuses = common::statuses_in_parallel(requests).await;
    assert_eq!(
        (common::count_of(&statuses, 201), common::count_of(&statuses, 409)),
        (1, 7),
        "{statuses:?}"
    );
    let (status, body) = call(&app, &district, Method::POST, "/api/v1/rooms", Some(new)).await;
    assert_eq!(status, 409);
    assert_eq!(
        body["error"]["message"], "本区已有名为「北京街政协委员工作室」的工作室",
        "{body}"
    );
    // Renaming onto a taken name is refused the same way.
    let (status, body) = call(
        &app,
        &district,
        Method::PATCH,
        "/api/v1/rooms/2",
        Some(json!({ "name": "洪桥街政协委员工作室" })),
    )
    .await;
    assert_eq!(status, 409, "{body}");
}

on_both_databases!(
    state_columns_refuse_values_the_code_does_not_know,
    a_corrupt_row_is_an_internal_error_not_a_default,
    one_district_cannot_get_two_rooms_of_one_name_even_at_once,
);
