//! Rooms' funding (工作经费, R16) on both databases: the town/street lead enters a room's budget line
//! and spending; sums are exact to the fen; bad input writes nothing; the district sees the rooms
//! without a line; the public, members, departments and room staff never see it.

mod common;

use common::{TestApp, call, get_text, hidden_value};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

const HONGQIAO: &str = "/api/v1/rooms/1/funding/2026";

async fn funding(app: &TestApp, token: &str) -> Value {
    let (status, body) = call(app, token, Method::GET, HONGQIAO, None).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn the_street_keeps_the_line_and_the_district_sees_the_gaps(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let street = app.token("demo-street").await;
    let district = app.token("demo-district").await;
    let demo = funding(&app, &street).await;
    assert_eq!(demo["budget"], 30000.0);
    assert_eq!(demo["spent_total"], 7010.5);
    assert_eq!(demo["balance"], 22989.5);
    assert_eq!(demo["may_keep"], true);
    assert_eq!(demo["by_category"][0]["category"], "equipment");

    // 越秀区: 洪桥 and 华乐 have lines, the online room has none.
    let (status, overview) = call(&app, &district, Method::GET, "/api/v1/funding?year=2026", None).await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(overview["without_budget"], 1, "{overview}");
    assert_eq!(overview["budget_total"], 50000.0);
    let missing: Vec<&Value> = overview["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["budget"].is_null())
        .collect();
    assert_eq!(missing[0]["room_name"], "越秀区政协网上委员工作室");

    // The annual summary reads the lines and the year's inspections; nothing is typed twice (X11).
    let (status, summary) = call(
        &app,
        &district,
        Method::GET,
        "/api/v1/annual-summaries/440104/2026",
        None,
    )
    .await;
    assert_eq!(status, 200, "{summary}");
    let figures = &summary["figures"];
    assert_eq!(figures["funding_budget_fen"], 5_000_000, "{figures}");
    assert_eq!(figures["funding_spent_fen"], 701_050 + 230_000);
    assert_eq!(figures["rooms_without_budget"], 1);
    assert_eq!(figures["rooms_inspected"], 2);
    assert_eq!(figures["rectifications"], 5);
    assert_eq!(figures["rectifications_closed"], 1);

    let good = json!({
        "budget": 32000.25,
        "spent": [
            { "date": "2026-11-02", "amount": 0.1, "category": "office", "note": "打印纸" },
            { "date": "2026-03-16", "amount": 4800, "category": "equipment" },
            { "date": "2026-11-02", "amount": 0.2, "category": "office" }
        ]
    });
    let mut bad = Vec::new();
    let mut negative = good.clone();
    negative["budget"] = json!(-1);
    bad.push((negative, "budget", "负数"));
    let mut sub_fen = good.clone();
    sub_fen["spent"][0]["amount"] = json!(1.005);
    bad.push((sub_fen, "spent", "两位小数"));
    let mut unknown = good.clone();
    unknown["spent"][1]["category"] = json!("banquet");
    bad.push((unknown, "spent", "不认识"));
    let mut future = good.clone();
    future["spent"][1]["date"] = json!("2026-12-24");
    bad.push((future, "spent", "晚于今天"));
    let mut other_year = good.clone();
    other_year["spent"][1]["date"] = json!("2025-12-24");
    bad.push((other_year, "spent", "不在 2026 年"));
    for (body, field, says) in bad {
        let (status, answer) = call(&app, &street, Method::PUT, HONGQIAO, Some(body)).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
        assert!(
            answer["error"]["message"].as_str().unwrap().contains(says),
            "{answer}"
        );
    }
    assert_eq!(
        funding(&app, &street).await,
        demo,
        "a refused line changes nothing"
    );

    let (status, saved) = call(&app, &street, Method::PUT, HONGQIAO, Some(good)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["budget"], 32000.25);
    // 0.1 + 0.2 is 0.30 exactly: amounts are kept in fen.
    assert_eq!(saved["spent_total"], 4800.3);
    assert_eq!(saved["spent"][0]["date"], "2026-03-16", "in date order");
    assert_eq!(saved["spent"].as_array().unwrap().len(), 3);
    assert_eq!(funding(&app, &district).await["budget"], 32000.25);

    // Two editors: a save based on what one read lands once; the same stale base is refused (409),
    // as is a "new line" when one exists, and nothing changes.
    let read = funding(&app, &district).await;
    let base = read["updated_at"].clone();
    let edit = |budget: f64, based_on: Value| json!({ "budget": budget, "spent": read["spent"], "based_on": based_on });
    let (status, body) = call(
        &app,
        &district,
        Method::PUT,
        HONGQIAO,
        Some(edit(33000.0, base.clone())),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(&app, &street, Method::PUT, HONGQIAO, Some(edit(1.0, base))).await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = call(&app, &street, Method::PUT, HONGQIAO, Some(edit(1.0, Value::Null))).await;
    assert_eq!(status, 409);
    assert_eq!(funding(&app, &street).await["budget"], 33000.0);

    // Who: the city reads but does not enter; the room's staff, members, departments and other
    // districts see nothing; nobody signed out either.
    let (status, _) = call(&app, &app.token("demo-city").await, Method::GET, HONGQIAO, None).await;
    assert_eq!(status, 200);
    for who in [
        "demo-city",
        "demo-staff",
        "demo-member",
        "demo-dept",
        "demo-other-district",
        "demo-inspector",
    ] {
        let token = app.token(who).await;
        let (status, _) = call(&app, &token, Method::PUT, HONGQIAO, Some(json!({ "budget": 1 }))).await;
        assert_eq!(status, 403, "{who} PUT");
    }
    for who in ["demo-staff", "demo-member", "demo-dept", "demo-other-district"] {
        let (status, _) = call(&app, &app.token(who).await, Method::GET, HONGQIAO, None).await;
        assert_eq!(status, 403, "{who} GET");
    }
    let anonymous = common::new_client().get(app.url(HONGQIAO)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let public = get_text(&common::new_client(), &app.url("/rooms/1")).await;
    assert!(
        !public.contains("32,000") && !public.contains("预算"),
        "the public never sees funding"
    );
    let (_, api) = app.get_json("/api/v1/public/rooms/1").await;
    assert!(!api.to_string().contains("budget"));
}

async fn the_street_edits_the_line_on_its_page(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (street, _) = app.page_session("demo-street").await;
    let page = get_text(&street, &app.url("/admin/rooms/1/funding?year=2026")).await;
    assert!(page.contains("接待室桌椅和资料柜"), "{page}");
    let csrf = hidden_value(&page, "csrf");
    let based_on = hidden_value(&page, "based_on");
    assert!(!based_on.is_empty(), "the form says which save it shows");
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let client = street.clone();
        let url = app.url("/admin/rooms/1/funding");
        let csrf = csrf.clone();
        let based_on = based_on.clone();
        async move {
            let mut form: Vec<(&str, String)> = fields.into_iter().map(|(k, v)| (k, v.to_owned())).collect();
            form.push(("csrf", csrf));
            form.push(("based_on", based_on));
            client.post(url).form(&form).send().await.unwrap()
        }
    };
    let refused = post(vec![
        ("year", "2026"),
        ("rows", "2"),
        ("budget", "３０，０００"),
        ("line_1_date", "2026-04-01"),
        ("line_1_amount", "很多"),
        ("line_1_category", "venue"),
        ("line_1_note", "会议室租用"),
    ])
    .await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(body.contains("不是金额") && body.contains("会议室租用"), "{body}");
    let saved = post(vec![
        ("year", "2026"),
        ("rows", "2"),
        ("budget", "３０，０００"),
        ("line_1_date", "2026-04-01"),
        ("line_1_amount", "1,500.5"),
        ("line_1_category", "venue"),
        ("line_1_note", "会议室租用"),
    ])
    .await;
    assert_eq!(saved.status(), 303);
    let token = app.token("demo-street").await;
    let line = funding(&app, &token).await;
    assert_eq!(line["budget"], 30000.0);
    assert_eq!(
        line["spent"],
        json!([{ "date": "2026-04-01", "amount": 1500.5, "category": "venue", "note": "会议室租用" }])
    );
    // The room's staff open the page and are refused.
    let (staff, _) = app.page_session("demo-staff").await;
    let response = staff.get(app.url("/admin/rooms/1/funding")).send().await.unwrap();
    assert_eq!(response.status(), 403);
}

on_both_databases!(
    the_street_keeps_the_line_and_the_district_sees_the_gaps,
    the_street_edits_the_line_on_its_page,
);
