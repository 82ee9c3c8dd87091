//! Signed-in page forms on both databases: every one carries the session's CSRF token in a hidden
//! field, and a post without it or with another is refused with 403 before anything is done — for
//! url-encoded forms (`web::extract::CsrfForm`) and uploads alike.

mod common;

use common::{TestApp, get_text};
use store::on_both_databases;
use store::test_support::TestDatabase;

/// A representative form of each area: (path, its fields without `csrf`).
const FORMS: &[(&str, &[(&str, &str)])] = &[
    ("/logout", &[]),
    (
        "/admin/accounts",
        &[
            ("username", "csrf-probe"),
            ("display_name", "探针"),
            ("role", "room_staff"),
            ("room_id", "1"),
        ],
    ),
    ("/admin/accounts/2/disable", &[]),
    (
        "/admin/rooms",
        &[
            ("name", "CSRF探针工作室"),
            ("kind", "fixed"),
            ("division_code", "440104001"),
        ],
    ),
    ("/admin/rooms/1/places", &[("places", "一号\n二号")]),
    (
        "/admin/rooms/1/rules",
        &[
            ("step", "add"),
            ("title", "探针制度"),
            ("text", "正文"),
            ("effective_from", "2026-11-01"),
        ],
    ),
    (
        "/admin/rule-templates",
        &[
            ("step", "publish"),
            ("district", "440104"),
            ("title", "探针模板"),
            ("text", "正文"),
            ("effective_from", "2026-11-01"),
        ],
    ),
    (
        "/admin/opinions",
        &[("room_id", "1"), ("content", "路灯坏了"), ("consent", "on")],
    ),
    ("/admin/opinions/1/actions", &[("action", "close")]),
    (
        "/admin/activities",
        &[
            ("room_id", "1"),
            ("kind", "policy_promotion"),
            ("held_on", "2026-11-20"),
        ],
    ),
    ("/admin/activity-kinds", &[("name", "探针活动")]),
    (
        "/admin/calendar/blocked",
        &[("date", "2026-12-20"), ("scope", "city")],
    ),
    ("/admin/calendar/rules", &[("effective_from", "2027-01-01")]),
    ("/admin/rooms/1/sessions/generate", &[("year", "2026")]),
    ("/admin/members/1", &[("name", "改名")]),
    (
        "/divisions/440104/rename",
        &[("name", "越秀新区"), ("valid_from", "2027-01-01")],
    ),
    (
        "/admin/staffing/conveners",
        &[("district", "440104"), ("title", "主席"), ("name", "某某")],
    ),
    (
        "/admin/annual-summaries/440104/2026",
        &[("step", "save"), ("text", "探针")],
    ),
    (
        "/admin/insights/social-report.docx",
        &[("title", "标题"), ("text", "正文")],
    ),
    (
        "/admin/inspections",
        &[
            ("room_id", "5"),
            ("date", "2026-11-27"),
            ("finding_1_text", "探针"),
            ("finding_1_owner", "room_staff"),
            ("finding_1_due", "2026-12-31"),
        ],
    ),
    (
        "/admin/inspections/plan",
        &[
            ("room_id", "5"),
            ("year", "2026"),
            ("planned_on", "2026-12-15"),
            ("inspectors", "探针"),
        ],
    ),
    ("/admin/rectifications/1", &[("step", "accept")]),
    ("/admin/rectifications/1/photos", &[]),
    (
        "/admin/support-requests",
        &[("kind", "guidance"), ("room_id", "1"), ("text", "探针")],
    ),
    ("/admin/support-requests/1", &[("step", "confirm")]),
    (
        "/admin/proposals",
        &[
            ("kind", "proposal"),
            ("title", "探针"),
            ("text", "探针"),
            ("case_ids", "1"),
        ],
    ),
    (
        "/admin/proposals/1",
        &[("action", "answer"), ("unit", "探针"), ("text", "探针")],
    ),
    (
        "/admin/rooms/1/funding",
        &[("year", "2026"), ("rows", "0"), ("budget", "1")],
    ),
    ("/me/calendar-feed", &[]),
    ("/notifications/read-all", &[]),
    ("/notifications/1/open", &[]),
];

async fn page_forms_without_the_sessions_csrf_token_are_refused(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, csrf) = app.page_session("demo-city").await;
    for &(path, fields) in FORMS {
        for presented in [None, Some("forged"), Some("0".repeat(64).as_str())] {
            let mut form: Vec<(&str, &str)> = fields.to_vec();
            if let Some(token) = presented {
                form.push(("csrf", token));
            }
            let response = client.post(app.url(path)).form(&form).send().await.unwrap();
            assert_eq!(response.status(), 403, "{path} with csrf {presented:?}");
            let body = response.text().await.unwrap();
            assert!(body.contains("页面已过期，请刷新后再试。"), "{path}: {body}");
        }
    }
    // Nothing was done: the probe account and room do not exist, and the session still works.
    let accounts = get_text(&client, &app.url("/admin/accounts")).await;
    assert!(!accounts.contains("csrf-probe"), "no account was created");
    let rooms = get_text(&client, &app.url("/admin/rooms")).await;
    assert!(!rooms.contains("CSRF探针工作室"), "no room was created");
    let me = client.get(app.url("/me")).send().await.unwrap();
    assert_eq!(me.status(), 200, "the forged /logout did not sign out");
    // And the real token is accepted.
    let out = client
        .post(app.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
}

async fn the_password_form_shows_a_stale_token_on_the_form_itself(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, _) = app.page_session("demo-staff").await;
    let response = client
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", "forged"),
            ("current_password", "workroom-demo"),
            ("new_password", "a-new-long-password-2026"),
            ("confirm_password", "a-new-long-password-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let body = response.text().await.unwrap();
    assert!(body.contains("页面已过期，请刷新后再试。"), "{body}");
    assert!(
        body.contains("name=\"new_password\""),
        "the form is shown again: {body}"
    );
    // The password is unchanged.
    let (_, csrf) = app.page_session("demo-staff").await;
    assert!(!csrf.is_empty());
}

async fn uploads_without_the_sessions_csrf_token_are_refused(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, _) = app.page_session("demo-city").await;
    for (path, file_field) in [
        ("/admin/calendar/arrangements", "file"),
        ("/admin/members/1/photo", "photo"),
        ("/admin/activities/1/photos", "photo"),
        ("/admin/members/import", "file"),
    ] {
        for presented in [None, Some("forged")] {
            let mut form = reqwest::multipart::Form::new().part(
                file_field,
                reqwest::multipart::Part::bytes(b"irrelevant".to_vec()).file_name("x.bin"),
            );
            if let Some(token) = presented {
                form = form.text("csrf", token);
            }
            let response = client.post(app.url(path)).multipart(form).send().await.unwrap();
            assert_eq!(response.status(), 403, "{path} with csrf {presented:?}");
            let body = response.text().await.unwrap();
            assert!(body.contains("页面已过期，请刷新后再试。"), "{path}: {body}");
        }
    }
}

on_both_databases!(
    page_forms_without_the_sessions_csrf_token_are_refused,
    the_password_form_shows_a_stale_token_on_the_form_itself,
    uploads_without_the_sessions_csrf_token_are_refused,
);
