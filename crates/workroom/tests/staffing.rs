//! The staffing report (R7) on both databases: gaps and excesses per district, conveners recorded
//! by district staff within their district, leads and staff counted from accounts.

mod common;

use common::TestApp;
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn report(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    let response = app
        .with_token(Method::GET, &format!("/api/v1/staffing{query}"), token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn kinds(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_report_names_every_gap_and_excess(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let district = app.token("demo-district").await;
    let (status, reports) = report(&app, &district, "").await;
    assert_eq!(status, 200);
    let yuexiu = &reports.as_array().unwrap()[0];
    assert_eq!(
        reports.as_array().unwrap().len(),
        1,
        "district staff see their own district"
    );
    assert_eq!(yuexiu["district"], "越秀区");
    assert_eq!(yuexiu["conveners"].as_array().unwrap().len(), 2);
    assert_eq!(yuexiu["streets"], 18);
    assert_eq!(yuexiu["streets_with_lead"], 1, "洪桥街道 has demo-street");
    assert_eq!(yuexiu["rooms"], 3);
    assert_eq!(yuexiu["rooms_staffed"], 1, "洪桥 has demo-staff");
    let found = kinds(yuexiu);
    assert_eq!(found.iter().filter(|k| *k == "street_lead_missing").count(), 17);
    assert_eq!(found.iter().filter(|k| *k == "room_staff_missing").count(), 2);
    assert!(!found.iter().any(|k| k.starts_with("convener")));

    // A second lead for 洪桥街道 is an excess.
    let created = app
        .with_token(Method::POST, "/api/v1/accounts", &district)
        .json(&json!({ "username": "hongqiao-lead2", "display_name": "第二负责人", "role": "street_lead", "division_code": "440104001" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let (_, reports) = report(&app, &district, "").await;
    let excess: Vec<&Value> = reports[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "street_lead_excess")
        .collect();
    assert_eq!(excess.len(), 1);
    assert_eq!(excess[0]["message"], "洪桥街道有 2 名负责人，应为 1 名");

    let city = app.token("demo-city").await;
    let (_, all) = report(&app, &city, "").await;
    assert_eq!(
        all.as_array().unwrap().len(),
        11,
        "the city sees all 11 districts"
    );
    let (_, haizhu) = report(&app, &city, "?district=440105").await;
    assert!(
        kinds(&haizhu[0]).contains(&"convener_missing".to_owned()),
        "海珠区 lacks its UFWD head"
    );
}

async fn conveners_are_kept_within_scope(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let other = app.token("demo-other-district").await;
    let add = |token: &str, district: &str| {
        app.with_token(Method::POST, "/api/v1/staffing/conveners", token)
            .json(&json!({ "district": district, "title": "ufwd_head", "name": "陈海平" }))
            .send()
    };
    assert_eq!(
        add(&other, "440104").await.unwrap().status(),
        403,
        "not another district's"
    );
    let created = add(&other, "440105").await.unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let (_, haizhu) = report(&app, &other, "").await;
    assert!(
        !kinds(&haizhu[0]).iter().any(|k| k.starts_with("convener")),
        "both conveners now recorded"
    );
    let (status, _) = report(&app, &other, "?district=440104").await;
    assert_eq!(status, 403);
    let district = app.token("demo-district").await;
    let remove = app
        .with_token(
            Method::DELETE,
            &format!("/api/v1/staffing/conveners/{id}"),
            &district,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(remove.status(), 403);
    let bad = app
        .with_token(Method::POST, "/api/v1/staffing/conveners", &other)
        .json(&json!({ "district": "440105", "title": "mayor", "name": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let remove = app
        .with_token(
            Method::DELETE,
            &format!("/api/v1/staffing/conveners/{id}"),
            &other,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(remove.status(), 204);

    let (client, csrf) = app.page_session("demo-other-district").await;
    let page = common::get_text(&client, &app.url("/admin/staffing")).await;
    assert!(
        page.contains("缺少召集人：区委统战部部长"),
        "the page shows the gap"
    );
    let added = client
        .post(app.url("/admin/staffing/conveners"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("district", "440105"),
            ("title", "ufwd_head"),
            ("name", "陈海平"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 200);
    assert!(added.text().await.unwrap().contains("已登记召集人 陈海平"));
}

on_both_databases!(
    the_report_names_every_gap_and_excess,
    conveners_are_kept_within_scope
);
