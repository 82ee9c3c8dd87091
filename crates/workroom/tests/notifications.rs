//! Reminders and notifications (提醒, X5) on both databases with the injected clock: a case tells its
//! holder at once; the scan raises due-tomorrow, overdue and escalated steps on the right working
//! days; each reminder exists once however many scans run, even at the same moment; each account
//! reads and marks only its own; the bell counts what is unread.

mod common;

use common::{TestApp, call, get_text, new_client};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn notes(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, body) = call(
        app,
        token,
        Method::GET,
        &format!("/api/v1/notifications?{query}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// An account's notifications, signed in afresh (the clock moves in these tests).
async fn notes_of(app: &TestApp, who: &str) -> Value {
    notes(app, &app.token(who).await, "per_page=100").await
}

fn items(list: &Value) -> &Vec<Value> {
    list["items"].as_array().unwrap()
}

/// The scan as every server runs it, on the test's database and clock.
async fn scanner(app: &TestApp) -> app::App {
    let store = store::Store::connect(&app.db.url()).await.unwrap();
    app::App::new(store, app.clock.clone())
}

async fn submit(app: &TestApp, phone: &str) -> String {
    let response = new_client()
        .post(app.url("/api/v1/public/rooms/1/opinions"))
        .json(&json!({
            "content": "小区北门的井盖松动，晚上很危险，希望尽快处理。",
            "contact_name": "李秀英",
            "contact_phone": phone,
            "consent": true,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["tracking_code"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn about(list: &Value, kind: &str, case_id: i64) -> usize {
    items(list)
        .iter()
        .filter(|n| n["kind"] == kind && n["link"] == format!("/admin/opinions/{case_id}"))
        .count()
}

async fn every_demo_account_has_something_waiting(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    for who in [
        "demo-staff",
        "demo-street",
        "demo-dept",
        "demo-petition",
        "demo-member",
        "demo-district",
        "demo-other-district",
    ] {
        let token = app.token(who).await;
        let list = notes(&app, &token, "").await;
        assert!(list["unread"].as_u64().unwrap() > 0, "{who}: {list}");
        let first = &items(&list)[0];
        for field in ["kind", "subject", "title", "link", "created_at"] {
            assert!(first[field].is_string(), "{who}: {field} in {first}");
        }
        assert_eq!(first["read"], false);
        // Newest first.
        let times: Vec<&str> = items(&list)
            .iter()
            .map(|n| n["created_at"].as_str().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "{who}: {times:?}");
    }
    // The street lead is pressed with the demo's late step at a department; the district with those
    // three working days late.
    let street = notes(&app, &app.token("demo-street").await, "per_page=100").await;
    assert!(
        items(&street).iter().any(|n| n["kind"] == "step_overdue"),
        "{street}"
    );
    let district = notes(&app, &app.token("demo-district").await, "per_page=100").await;
    assert!(
        items(&district).iter().any(|n| n["kind"] == "step_escalated"),
        "{district}"
    );
    // 海珠区's summary is a draft, but 30 November is before the 10th of December: not yet.
    let other = notes(&app, &app.token("demo-other-district").await, "per_page=100").await;
    assert!(
        !items(&other).iter().any(|n| n["kind"] == "summary_due"),
        "{other}"
    );
}

async fn a_case_tells_its_holder_and_the_scan_its_deadlines(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let before = notes(&app, &staff, "").await["unread"].as_u64().unwrap();
    // Monday 30 November: a resident writes; the room's staff are told at once.
    let code = submit(&app, "13900001111").await;
    let id = common::case_id(&app, &staff, &code).await;
    let after = notes(&app, &staff, "per_page=100").await;
    assert_eq!(after["unread"].as_u64().unwrap(), before + 1);
    assert_eq!(about(&after, "case_arrived", id), 1);
    // It is due on Tuesday: Monday's scan says so to the staff, and a second scan adds nothing.
    let job = scanner(&app).await;
    job.send_reminders().await.unwrap();
    assert_eq!(job.send_reminders().await.unwrap(), 0, "once");
    let monday = notes(&app, &staff, "per_page=100").await;
    assert_eq!(about(&monday, "step_due_tomorrow", id), 1);
    assert_eq!(about(&monday, "step_overdue", id), 0);
    // Tuesday, the due day: nothing new about it.
    app.clock.advance(chrono::Duration::days(1));
    job.send_reminders().await.unwrap();
    assert_eq!(about(&notes_of(&app, "demo-staff").await, "step_overdue", id), 0);
    // Wednesday: one working day late — the staff and the street lead, not yet the district.
    app.clock.advance(chrono::Duration::days(1));
    job.send_reminders().await.unwrap();
    assert_eq!(about(&notes_of(&app, "demo-staff").await, "step_overdue", id), 1);
    assert_eq!(about(&notes_of(&app, "demo-street").await, "step_overdue", id), 1);
    assert_eq!(
        about(&notes_of(&app, "demo-district").await, "step_escalated", id),
        0
    );
    // Friday 4 December: three working days late — the district is pressed.
    app.clock.advance(chrono::Duration::days(2));
    job.send_reminders().await.unwrap();
    assert_eq!(
        about(&notes_of(&app, "demo-district").await, "step_escalated", id),
        1
    );
    // The staff refer it to the street: the lead is told it arrived.
    let (status, _) = call(
        &app,
        &app.token("demo-staff").await,
        Method::POST,
        &format!("/api/v1/opinions/{id}/actions"),
        Some(json!({"action": "refer_to_street"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(about(&notes_of(&app, "demo-street").await, "case_arrived", id), 1);
    // Acting on it settled what reminded the staff of it.
    let staff_now = notes_of(&app, "demo-staff").await;
    let of_case: Vec<&Value> = items(&staff_now)
        .iter()
        .filter(|n| n["link"] == format!("/admin/opinions/{id}"))
        .collect();
    assert!(of_case.len() >= 3, "{staff_now}");
    assert!(of_case.iter().all(|n| n["read"] == true), "{of_case:?}");
}

const ACCOUNTS: [&str; 8] = [
    "demo-city",
    "demo-district",
    "demo-street",
    "demo-staff",
    "demo-member",
    "demo-dept",
    "demo-petition",
    "demo-other-district",
];

/// Every account's notifications: how many in all, and whether any (kind, subject, due day) repeats.
async fn census(app: &TestApp) -> (u64, bool) {
    let mut total = 0;
    let mut repeated = false;
    for who in ACCOUNTS {
        let list = notes(app, &app.token(who).await, "per_page=100").await;
        total += list["total"].as_u64().unwrap();
        let mut keys: Vec<String> = items(&list)
            .iter()
            .map(|n| format!("{}|{}|{}", n["kind"], n["subject"], n["due_date"]))
            .collect();
        let count = keys.len();
        keys.sort();
        keys.dedup();
        repeated |= keys.len() != count;
    }
    (total, repeated)
}

async fn parallel_scans_write_each_reminder_once(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (before, _) = census(&app).await;
    // Thursday 10 December: the summaries are raised, steps are late; eight servers scan at once.
    app.clock.advance(chrono::Duration::days(10));
    let mut scans = Vec::new();
    for _ in 0..8 {
        let job = scanner(&app).await;
        scans.push(tokio::spawn(async move { job.send_reminders().await.unwrap() }));
    }
    let mut written = 0;
    for scan in scans {
        written += scan.await.unwrap();
    }
    assert!(written > 0);
    assert_eq!(scanner(&app).await.send_reminders().await.unwrap(), 0);
    // However they interleaved, what they wrote is what the accounts hold, and nothing twice.
    let (after, repeated) = census(&app).await;
    assert_eq!(after - before, written);
    assert!(!repeated);
    let other = notes(&app, &app.token("demo-other-district").await, "per_page=100").await;
    assert_eq!(
        items(&other)
            .iter()
            .filter(|n| n["kind"] == "summary_due")
            .count(),
        1,
        "{other}"
    );
}

async fn each_account_reads_and_marks_its_own(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let member = app.token("demo-member").await;
    let list = notes(&app, &staff, "per_page=100").await;
    let unread = list["unread"].as_u64().unwrap();
    let id = items(&list)[0]["id"].as_i64().unwrap();
    // Another account cannot mark it, nor learn that it exists.
    let (status, body) = call(
        &app,
        &member,
        Method::POST,
        &format!("/api/v1/notifications/{id}/read"),
        None,
    )
    .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(notes(&app, &staff, "").await["unread"].as_u64().unwrap(), unread);
    let (status, body) = call(
        &app,
        &staff,
        Method::POST,
        &format!("/api/v1/notifications/{id}/read"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["unread"].as_u64().unwrap(), unread - 1);
    // Twice is fine.
    let (status, _) = call(
        &app,
        &staff,
        Method::POST,
        &format!("/api/v1/notifications/{id}/read"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let only_unread = notes(&app, &staff, "unread=true&per_page=100").await;
    assert!(
        items(&only_unread)
            .iter()
            .all(|n| n["read"] == false && n["id"] != id)
    );
    assert_eq!(only_unread["total"].as_u64().unwrap(), unread - 1);
    // Paged: two at a time.
    let two = notes(&app, &staff, "per_page=2&page=2").await;
    assert_eq!(
        items(&two).len() as u64,
        2.min(list["total"].as_u64().unwrap().saturating_sub(2))
    );
    for (query, field) in [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=0", "page"),
    ] {
        let (status, body) = call(
            &app,
            &staff,
            Method::GET,
            &format!("/api/v1/notifications?{query}"),
            None,
        )
        .await;
        assert_eq!(status, 422, "{query}");
        assert_eq!(body["error"]["field"], field);
    }
    // Nor open it from the page.
    let (member_page, member_csrf) = app.page_session("demo-member").await;
    let response = member_page
        .post(app.url(&format!("/notifications/{id}/open")))
        .form(&[("csrf", member_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let (status, body) = call(&app, &staff, Method::POST, "/api/v1/notifications/read-all", None).await;
    assert_eq!((status, body["unread"].as_u64()), (200, Some(0)));
    assert!(
        notes(&app, &member, "").await["unread"].as_u64().unwrap() > 0,
        "the member's stay unread"
    );
}

async fn the_bell_counts_and_the_list_opens_the_thing(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, csrf) = app.page_session("demo-street").await;
    let token = app.token("demo-street").await;
    let unread = notes(&app, &token, "").await["unread"].as_u64().unwrap();
    let me = get_text(&client, &app.url("/me")).await;
    assert!(
        me.contains(&format!(
            "href=\"/notifications\">提醒<span class=\"badge\">{unread}</span>"
        )),
        "{me}"
    );
    let page = get_text(&client, &app.url("/notifications")).await;
    assert!(page.contains(&format!("{unread} 条未读")), "{page}");
    assert!(page.contains("已超期"), "{page}");
    let listed = notes(&app, &token, "").await;
    let first = &items(&listed)[0];
    let response = client
        .post(app.url(&format!("/notifications/{}/open", first["id"])))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        first["link"].as_str().unwrap()
    );
    assert_eq!(
        notes(&app, &token, "").await["unread"].as_u64().unwrap(),
        unread - 1
    );
    let response = client
        .post(app.url("/notifications/read-all"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let after = get_text(
        &client,
        &app.url(response.headers()["location"].to_str().unwrap()),
    )
    .await;
    assert!(
        after.contains(&format!("已将 {} 条提醒标为已读", unread - 1)),
        "{after}"
    );
    assert!(!after.contains("class=\"badge\""), "the bell has no number left");
}

on_both_databases!(
    every_demo_account_has_something_waiting,
    a_case_tells_its_holder_and_the_scan_its_deadlines,
    parallel_scans_write_each_reminder_once,
    each_account_reads_and_marks_its_own,
    the_bell_counts_and_the_list_opens_the_thing,
);
