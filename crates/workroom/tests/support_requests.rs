//! Members' support requests (委员履职支持, R12) on both databases: a member asks the district about a
//! room they serve; the district answers; the member confirms or asks again; both see the history;
//! nobody else reads it, and bad input writes nothing.

mod common;

use common::{TestApp, call, get_text, hidden_value};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn list(app: &TestApp, token: &str) -> Value {
    let (status, body) = call(app, token, Method::GET, "/api/v1/support-requests", None).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn a_member_asks_the_district_answers_and_the_member_confirms(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let member = app.token("demo-member").await;
    let district = app.token("demo-district").await;
    let before = list(&app, &member).await;
    assert_eq!(before.as_array().unwrap().len(), 2, "the demo's two");

    // Bad input: nothing written.
    for (body, field) in [
        (json!({ "kind": "money", "text": "x", "room_id": 1 }), "kind"),
        (json!({ "kind": "guidance", "text": "  ", "room_id": 1 }), "text"),
        // 石牌 is not the demo member's room.
        (
            json!({ "kind": "guidance", "text": "请指导", "room_id": 5 }),
            "room_id",
        ),
        (
            json!({ "kind": "guidance", "text": "请指导", "room_id": 999 }),
            "room_id",
        ),
    ] {
        let (status, answer) = call(
            &app,
            &member,
            Method::POST,
            "/api/v1/support-requests",
            Some(body),
        )
        .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
    }
    assert_eq!(list(&app, &member).await, before);

    let (status, created) = call(
        &app,
        &member,
        Method::POST,
        "/api/v1/support-requests",
        Some(json!({ "kind": "guidance", "text": "如何组织好一次居民协商？", "room_id": 1 })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let path = |tail: &str| format!("/api/v1/support-requests/{id}{tail}");
    // The member cannot answer their own; another district cannot see it; confirming before an
    // answer is out of turn.
    let (status, _) = call(
        &app,
        &member,
        Method::POST,
        &path("/answer"),
        Some(json!({ "text": "自答" })),
    )
    .await;
    assert_eq!(status, 403);
    let other = app.token("demo-other-district").await;
    let (status, _) = call(&app, &other, Method::GET, &path(""), None).await;
    assert_eq!(status, 403);
    assert!(list(&app, &other).await.as_array().unwrap().is_empty());
    let (status, _) = call(&app, &member, Method::POST, &path("/confirm"), None).await;
    assert_eq!(status, 409);

    let (status, answered) = call(
        &app,
        &district,
        Method::POST,
        &path("/answer"),
        Some(json!({ "text": "下周二到工作室现场指导。" })),
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["status"], "answered");
    let (_, again) = call(
        &app,
        &member,
        Method::POST,
        &path("/ask-again"),
        Some(json!({ "text": "能否提前到周一？" })),
    )
    .await;
    assert_eq!(again["status"], "open");
    let (_, _) = call(
        &app,
        &district,
        Method::POST,
        &path("/answer"),
        Some(json!({ "text": "可以，周一上午。" })),
    )
    .await;
    let (status, done) = call(&app, &member, Method::POST, &path("/confirm"), None).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["status"], "closed");
    let steps: Vec<&str> = done["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["ask", "answer", "ask_again", "answer", "confirm"]);
    // Both sides read the same history; the city reads it too.
    let (_, seen) = call(&app, &district, Method::GET, &path(""), None).await;
    assert_eq!(seen["history"], done["history"]);
    let (status, _) = call(&app, &app.token("demo-city").await, Method::GET, &path(""), None).await;
    assert_eq!(status, 200);
}

async fn the_member_asks_on_the_phone_page(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (member, _) = app.page_session("demo-member").await;
    let page = get_text(&member, &app.url("/admin/support-requests")).await;
    assert!(page.contains("提出新的请求"), "{page}");
    let csrf = hidden_value(&page, "csrf");
    let refused = member
        .post(app.url("/admin/support-requests"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "people"),
            ("room_id", "1"),
            ("text", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let asked = member
        .post(app.url("/admin/support-requests"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "people"),
            ("room_id", "1"),
            ("text", "需要一名律师参加接待日"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 303);
    let location = asked.headers()["location"].to_str().unwrap().to_owned();
    let shown = get_text(&member, &app.url(&location)).await;
    assert!(
        shown.contains("需要一名律师参加接待日") && shown.contains("待区政协答复"),
        "{shown}"
    );
    // The district sees it waiting on its workbench.
    let (district, _) = app.page_session("demo-district").await;
    let me = get_text(&district, &app.url("/me")).await;
    assert!(me.contains("项委员履职支持请求待答复"), "{me}");
}

/// The district's unread reminders about support requests, by link.
async fn support_reminders(app: &TestApp) -> Vec<String> {
    let district = app.token("demo-district").await;
    let (_, notes) = call(
        app,
        &district,
        Method::GET,
        "/api/v1/notifications?per_page=100",
        None,
    )
    .await;
    notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "support_unanswered")
        .map(|n| n["link"].as_str().unwrap().to_owned())
        .collect()
}

/// Five working days unanswered (R12): the district is reminded of the request once, and of a question
/// asked since only when its own five days have run.
async fn a_request_unanswered_for_five_working_days_reminds_the_district(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let member = app.token("demo-member").await;
    let scanner = app::App::new(
        store::Store::connect(&app.db.url()).await.unwrap(),
        app.clock.clone(),
    );
    // The demo's consultation was asked on Saturday 28 November; a new one on Monday 30th.
    let waiting: Vec<i64> = list(&app, &member)
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "open")
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(waiting.len(), 1, "the demo's consultation waits");
    let (status, fresh) = call(
        &app,
        &member,
        Method::POST,
        "/api/v1/support-requests",
        Some(json!({ "kind": "guidance", "text": "议事会怎样记录更规范？", "room_id": 1 })),
    )
    .await;
    assert_eq!(status, 201, "{fresh}");
    let fresh = fresh["id"].as_i64().unwrap();
    scanner.send_reminders().await.unwrap();
    assert!(support_reminders(&app).await.is_empty(), "not yet");
    // Friday 4 December ends the consultation's five working days; Monday 7th it is late. The one
    // asked on the 30th is due that Monday: not yet late.
    app.clock.advance(chrono::Duration::days(4));
    scanner.send_reminders().await.unwrap();
    assert!(
        support_reminders(&app).await.is_empty(),
        "on the fifth day: not yet"
    );
    app.clock.advance(chrono::Duration::days(3));
    scanner.send_reminders().await.unwrap();
    scanner.send_reminders().await.unwrap();
    assert_eq!(
        support_reminders(&app).await,
        [format!("/admin/support-requests/{}", waiting[0])],
        "once, and only the late one"
    );
    app.clock.advance(chrono::Duration::days(1));
    scanner.send_reminders().await.unwrap();
    let both = support_reminders(&app).await;
    assert!(
        both.contains(&format!("/admin/support-requests/{fresh}")) && both.len() == 2,
        "{both:?}"
    );
}

on_both_databases!(
    a_request_unanswered_for_five_working_days_reminds_the_district,
    a_member_asks_the_district_answers_and_the_member_confirms,
    the_member_asks_on_the_phone_page,
);
