//! The authorization matrix (权限矩阵): every demo account (and nobody) × every route that needs a
//! sign-in or filters by scope, with the expected answer written out as a table. Later features add
//! their routes here. The second half checks what each scoped list lets each account see, so that
//! removing a scope filter in `store` fails this test.

mod common;

use common::{TestApp, new_client};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

/// Columns of the table, in order.
const WHO: [&str; 11] = [
    "anonymous",
    "demo-city",
    "demo-district",
    "demo-street",
    "demo-staff",
    "demo-member",
    "demo-dept",
    "demo-petition",
    "demo-other-district",
    "demo-district-dept",
    "demo-inspector",
];

/// Pages answer a missing sign-in with a redirect to /login.
const LOGIN: u16 = 303;

struct Row {
    method: Method,
    path: String,
    /// A JSON body, where `{who}` is replaced by the column's name (for unique usernames etc.).
    body: Option<Value>,
    expect: [u16; 11],
}

fn row(method: Method, path: &str, expect: [u16; 11]) -> Row {
    Row {
        method,
        path: path.to_owned(),
        body: None,
        expect,
    }
}

fn row_with(method: Method, path: &str, body: Value, expect: [u16; 11]) -> Row {
    Row {
        method,
        path: path.to_owned(),
        body: Some(body),
        expect,
    }
}

fn body_for(template: &Value, who: &str, index: usize) -> Value {
    let text = template
        .to_string()
        .replace("{who}", who)
        .replace("{n}", &format!("{:02}", index + 1));
    serde_json::from_str(&text).unwrap()
}

/// Whether a concrete path fits an OpenAPI path template such as `/api/v1/rooms/{id}/reception-days`.
fn path_matches(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template.iter().zip(&path).all(|(t, p)| {
            // `{id}`, or `{year}.docx`: a parameter with a fixed suffix.
            let parameter = t.starts_with('{')
                && t.find('}')
                    .is_some_and(|end| p.len() > t.len() - end - 1 && p.ends_with(&t[end + 1..]));
            parameter || t == p
        })
}

async fn every_account_gets_exactly_the_routes_its_role_allows(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.account_id("demo-staff").await;
    let other = app.account_id("demo-other-district").await;
    // An account of 越秀区 to disable and reset, so that no demo account loses its sessions mid-table.
    let city = app.token("demo-city").await;
    let created: Value = app
        .with_token(Method::POST, "/api/v1/accounts", &city)
        .json(&json!({ "username": "matrix-target", "display_name": "矩阵测试", "role": "street_lead", "division_code": "440104003" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let target = created["account"]["id"].as_i64().unwrap();
    // 洪桥's 2027 reception sessions, planned by the city office, for the session routes.
    let generated = app
        .with_token(Method::POST, "/api/v1/rooms/1/sessions/generate?year=2027", &city)
        .send()
        .await
        .unwrap();
    assert_eq!(generated.status(), 200);
    let sessions: Value = app
        .with_token(Method::GET, "/api/v1/rooms/1/sessions?year=2027", &city)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session = sessions[0]["id"].as_i64().unwrap();
    // Two activities the demo member reported, pending the staff: one to confirm, one to return.
    let member = app.token("demo-member").await;
    let mut reports = Vec::new();
    for day in ["2026-11-23", "2026-11-24"] {
        let report: Value = app
            .with_token(Method::POST, "/api/v1/activities", &member)
            .json(&json!({ "room_id": 1, "kind": "policy_promotion", "date": day, "member_ids": [1], "summary": "矩阵测试" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(report["status"], "pending", "{report}");
        reports.push(report["id"].as_i64().unwrap());
    }
    // Citizens' opinions: a fresh online case to follow, a demo case held by demo-dept, and the demo's
    // screened-out case (closed, not yet rated) for the rating row.
    let online: Value = new_client()
        .post(app.url("/api/v1/public/rooms/1/opinions"))
        .json(&json!({ "content": "矩阵测试", "contact_name": "矩阵", "contact_phone": "13900000000", "consent": true }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = online["tracking_code"].as_str().unwrap().to_owned();
    let (_, cases) = common::case_list(&app, &city).await;
    let (_, notes) = common::call(
        &app,
        &app.token("demo-staff").await,
        Method::GET,
        "/api/v1/notifications",
        None,
    )
    .await;
    let staff_notification = notes["items"][0]["id"]
        .as_i64()
        .expect("the demo tells demo-staff");
    let held_by_dept = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "at_department" && c["department"] == "洪桥街道公共服务办公室")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let under_review = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "under_review")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let screened = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["route"] == "screened_out")
        .unwrap()["tracking_code"]
        .as_str()
        .unwrap()
        .to_owned();
    // The demo's rectification tasks (R15): 洪桥's open one of its staff, and its reported one.
    let (_, tasks) = common::call(
        &app,
        &city,
        Method::GET,
        "/api/v1/rectifications?status=all",
        None,
    )
    .await;
    let task_where = |status: &str, owner: &str| {
        tasks
            .as_array()
            .unwrap()
            .iter()
            .find(|t| {
                t["status"] == status && t["owner"] == owner && t["room_name"] == "洪桥街政协委员工作室"
            })
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let open_task = task_where("open", "room_staff");
    let reported_task = task_where("reported", "room_staff");
    let hongqiao_inspection = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == open_task)
        .unwrap()["inspection_id"]
        .as_i64()
        .unwrap();
    // The demo's proposals (R13.4): the 社情民意信息 drafted on a case (adopted), and a draft from a group
    // still to be submitted, with a case of the member's room to draft from.
    let (_, proposals) = common::call(&app, &city, Method::GET, "/api/v1/proposals", None).await;
    let proposal_where = |status: &str| {
        proposals
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["status"] == status)
            .unwrap_or_else(|| panic!("a demo proposal {status}: {proposals}"))
            .clone()
    };
    let adopted = proposal_where("accepted")["id"].as_i64().unwrap();
    let to_submit = proposal_where("drafted");
    let drafted = to_submit["id"].as_i64().unwrap();
    let member_case = to_submit["cases"][0]["id"].as_i64().unwrap();
    //                                         anon city dist strt stff mmbr dept ptn  other ddpt insp
    let table = vec![
        row(
            Method::GET,
            "/api/v1/divisions",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/divisions/440104001",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/me",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/rooms",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/departments",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/audit",
            [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/accounts",
            [401, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/api/v1/accounts/{staff}"),
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/api/v1/accounts/{other}"),
            [401, 200, 403, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/accounts/999999",
            [401, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/accounts",
            json!({ "username": "lead-{who}", "display_name": "洪桥负责人", "role": "street_lead", "division_code": "440104001" }),
            [401, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/accounts",
            json!({ "username": "hz-{who}", "display_name": "海珠负责人", "role": "street_lead", "division_code": "440105001" }),
            [401, 201, 403, 403, 403, 403, 403, 403, 201, 403, 403],
        ),
        row(
            Method::POST,
            &format!("/api/v1/accounts/{staff}/enable"),
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/divisions/440104001007/rename",
            json!({ "name": "三眼井社区居委会{n}", "valid_from": "2027-01-{n}" }),
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/divisions",
            json!({ "parent_code": "440105001", "code": "4401050019{n}", "name": "新社区{n}", "valid_from": "2026-12-01" }),
            [401, 201, 403, 403, 403, 403, 403, 403, 201, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/public/rooms",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/public/rooms/1",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/rooms/1",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/rooms/1/poster",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        // An empty body is not a workbook: 422 shows the caller got past the permission check.
        row(
            Method::POST,
            "/api/v1/members/import?dry_run=true",
            [401, 422, 422, 403, 403, 403, 403, 403, 422, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/staffing",
            [401, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/staffing?district=440104",
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/staffing/conveners",
            json!({ "district": "440104", "title": "ufwd_head", "name": "测试{n}" }),
            [401, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::DELETE,
            "/api/v1/staffing/conveners/999999",
            [401, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/members/import",
            [LOGIN, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/members/template.xlsx",
            [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/admin/staffing",
            [LOGIN, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/me",
            [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        // Notifications (提醒): each account its own; another's is not found.
        row(
            Method::GET,
            "/notifications",
            [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/notifications",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::POST,
            &format!("/api/v1/notifications/{staff_notification}/read"),
            [401, 404, 404, 404, 200, 404, 404, 404, 404, 404, 404],
        ),
        row(
            Method::POST,
            "/api/v1/notifications/read-all",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/account/password",
            [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/admin/accounts",
            [LOGIN, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/admin/accounts/{staff}"),
            [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/audit",
            [LOGIN, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/divisions/search?q=%E6%B4%AA%E6%A1%A5",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row_with(
            Method::POST,
            "/api/v1/auth/login",
            json!({ "username": "demo-city", "password": "workroom-demo" }),
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        // A wrong current password: 422 shows the caller may change their own password.
        row_with(
            Method::POST,
            "/api/v1/me/password",
            json!({ "current_password": "wrong-wrong-wrong", "new_password": "足够长的新密码2026年" }),
            [401, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        row(
            Method::POST,
            &format!("/api/v1/accounts/{target}/disable"),
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            &format!("/api/v1/accounts/{target}/reset-password"),
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        // The reception calendar: published days and rules for anyone, edits by scope.
        row(
            Method::GET,
            "/api/v1/rooms/1/reception-days?year=2024",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/public/reception-days?days=30",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/calendar/arrangements",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row_with(
            Method::POST,
            "/api/v1/calendar/arrangements",
            json!({ "not": "a toml file" }),
            [401, 422, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/rules",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row_with(
            Method::POST,
            "/api/v1/rules",
            json!({ "effective_from": "2027-06-01", "reception_day_of_month": 16 }),
            [401, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/districts/440104/calendar",
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/districts/440104/reception-day",
            json!({ "day_of_month": 10, "effective_from": "2027-{n}-01" }),
            [401, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/blocked-dates",
            json!({ "district": "440104", "date": "2027-02-{n}", "event": "矩阵测试" }),
            [401, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/blocked-dates",
            json!({ "date": "2027-03-{n}", "event": "全市矩阵测试" }),
            [401, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::DELETE,
            "/api/v1/blocked-dates/999999",
            [401, 404, 403, 403, 403, 403, 403, 403, 403, 403, 404],
        ),
        row(
            Method::GET,
            "/admin/calendar",
            [LOGIN, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        // Members' records: lists in scope for all signed in; changes by the roster's keepers.
        row(
            Method::GET,
            "/api/v1/members",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/members/1",
            [401, 200, 200, 200, 200, 200, 403, 403, 403, 403, 200],
        ),
        row_with(
            Method::PATCH,
            "/api/v1/members/1",
            json!({ "position": "行长 {who}" }),
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/members",
            [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row_with(
            Method::PUT,
            "/api/v1/members/1/photo",
            json!({ "not": "an image" }),
            [401, 422, 422, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::DELETE,
            "/api/v1/members/1/photo",
            [401, 204, 204, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        // Work rooms (R6): the city and district staff within their district.
        row_with(
            Method::POST,
            "/api/v1/rooms",
            json!({ "name": "矩阵工作室{n}", "kind": "fixed", "division_code": "440104003", "address": "北京街道" }),
            [401, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::PATCH,
            "/api/v1/rooms/1",
            json!({ "opening_notes": "矩阵测试 {who}" }),
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::PUT,
            "/api/v1/rooms/4/places",
            json!({ "places": ["赤岗街道党群服务中心", "{who}"] }),
            [401, 200, 403, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/rooms",
            [LOGIN, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        // Reception sessions and notices: the room's staff, its street lead, its district, the city.
        row(
            Method::GET,
            "/api/v1/rooms/1/sessions?year=2027",
            [401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            "/api/v1/rooms/1/sessions/generate?year=2027",
            [401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/api/v1/sessions/{session}"),
            [401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::PATCH,
            &format!("/api/v1/sessions/{session}"),
            json!({ "place": "矩阵测试地点 {who}", "reason": "矩阵测试" }),
            [401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            &format!("/api/v1/sessions/{session}/notice"),
            json!({ "where": "社区公告栏" }),
            // The first allowed caller records the posting; it is recorded once, so the others get 409.
            [401, 200, 409, 409, 409, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            "/api/v1/me/calendar-feed",
            [401, 403, 403, 403, 403, 201, 403, 403, 403, 403, 403],
        ),
        row(
            Method::DELETE,
            "/api/v1/me/calendar-feed",
            [401, 403, 403, 403, 403, 204, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/notices/late",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/admin/rooms/1/sessions?year=2027",
            [LOGIN, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/sessions/{session}/notice"),
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/rooms/1/calendar.ics",
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        // Activities (R10): recorded by the room's staff and those above it; a member reports own (pending).
        row(
            Method::GET,
            "/api/v1/activities?year=2026",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row_with(
            Method::POST,
            "/api/v1/activities",
            json!({ "room_id": 1, "kind": "grassroots_research", "date": "2026-11-20", "member_ids": [1], "summary": "矩阵测试 {who}" }),
            [401, 201, 201, 201, 201, 201, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/api/v1/activities/{}", reports[0]),
            [401, 200, 200, 200, 200, 200, 403, 403, 403, 403, 200],
        ),
        row(
            Method::POST,
            &format!("/api/v1/activities/{}/confirm", reports[0]),
            // Confirmed once by the first allowed caller; the others find nothing left to confirm.
            [401, 200, 409, 409, 409, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            &format!("/api/v1/activities/{}/return", reports[1]),
            json!({ "reason": "请补充签到表" }),
            [401, 200, 409, 409, 409, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::PATCH,
            &format!("/api/v1/activities/{}", reports[0]),
            json!({ "summary": "矩阵补充 {who}" }),
            // Confirmed by now: the member who reported it no longer edits it.
            [401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            &format!("/api/v1/activities/{}/photos", reports[0]),
            json!({ "not": "an image" }),
            [401, 422, 422, 422, 422, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::DELETE,
            &format!("/api/v1/activities/{}/photos/999999", reports[0]),
            [401, 404, 404, 404, 404, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/activities/{}/photos/999999.jpg", reports[0]),
            [LOGIN, 404, 404, 404, 404, 404, 403, 403, 403, 403, 404],
        ),
        row(
            Method::GET,
            "/api/v1/members/1/activities?year=2026",
            [401, 200, 200, 200, 200, 200, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/api/v1/score-sheet?year=2026",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/activity-kinds",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row_with(
            Method::POST,
            "/api/v1/activity-kinds",
            json!({ "name": "矩阵类型{n}" }),
            // The city names the district it defines for (422 without one); a district its own.
            [401, 422, 201, 403, 403, 403, 403, 403, 201, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/activities",
            [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/admin/duty?year=2026",
            [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/admin/duty/score-sheet.xlsx?year=2026",
            [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        // A room's ledgers (台账, R14): the room's side by scope and the members serving it; departments
        // and other districts refused.
        row(
            Method::GET,
            "/api/v1/rooms/1/ledgers/work?year=2026",
            [401, 200, 200, 200, 200, 200, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/api/v1/rooms/1/ledgers/visitors?year=2026&format=xlsx",
            [401, 200, 200, 200, 200, 200, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/admin/rooms/1/ledgers?year=2026",
            [LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/admin/rooms/1/ledgers/members.xlsx?year=2026",
            [LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403, 200],
        ),
        // The leaders' dashboard (X4): the city, districts and street leads, each their own scope.
        row(
            Method::GET,
            "/api/v1/dashboard?year=2026",
            [401, 200, 200, 200, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/dashboard?year=2026&district=440105",
            [401, 200, 403, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/dashboard?year=2026",
            [LOGIN, 200, 200, 200, 403, 403, 403, 403, 200, 403, 403],
        ),
        // Rooms' rules (工作室制度, R14): read like the ledgers, written by the room's side; templates
        // published by the district, read by those who adopt them. In the demo templates are 1–3 (3 not
        // adopted by room 1), room 1's rules 4 (adopted, template since revised) to 6 (its own).
        row(
            Method::GET,
            "/api/v1/rooms/1/rules",
            [401, 200, 200, 200, 200, 200, 403, 403, 403, 403, 200],
        ),
        row_with(
            Method::POST,
            "/api/v1/rooms/1/rules",
            json!({ "title": "矩阵制度 {who}", "text": "正文", "effective_from": "2026-11-01" }),
            [401, 201, 201, 201, 201, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/rooms/1/rules/adopt",
            json!({ "template_id": 3, "effective_from": "2026-11-01" }),
            // Adopted once, by the first caller allowed.
            [401, 201, 409, 409, 409, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/rooms/1/rules/6/versions",
            json!({ "title": "矩阵修订 {who}", "text": "正文", "effective_from": "2027-01-{n}" }),
            [401, 201, 201, 201, 201, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/rooms/1/rules/4/follow-template",
            json!({ "effective_from": "2027-01-{n}" }),
            // Followed once; then the rule is on the template's newest version.
            [401, 201, 409, 409, 409, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/districts/440104/rule-templates",
            [401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/districts/440104/rule-templates",
            json!({ "title": "矩阵模板 {who}", "text": "正文", "effective_from": "2026-11-01" }),
            [401, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/districts/440104/rule-templates/2/versions",
            json!({ "title": "矩阵模板修订 {who}", "text": "正文", "effective_from": "2027-01-{n}" }),
            [401, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/rooms/1/rules",
            [LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/admin/rule-templates",
            // Another district sees its own templates.
            [LOGIN, 200, 200, 200, 200, 403, 403, 403, 200, 403, 403],
        ),
        // Citizens' opinions (R11, R13): the public submits and follows; each party acts on its step.
        row_with(
            Method::POST,
            "/api/v1/public/rooms/1/opinions",
            json!({ "content": "矩阵测试 {who}", "contact_name": "矩阵", "contact_phone": "139000001{n}", "consent": true }),
            [201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
        ),
        row(
            Method::GET,
            &format!("/api/v1/public/track/{code}"),
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row_with(
            Method::POST,
            &format!("/api/v1/public/track/{screened}/rating"),
            json!({ "rating": "basically_satisfied" }),
            // Rated once, by the first caller.
            [200, 409, 409, 409, 409, 409, 409, 409, 409, 409, 409],
        ),
        row(
            Method::GET,
            "/api/v1/opinions",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row_with(
            Method::POST,
            "/api/v1/opinions",
            json!({ "room_id": 1, "content": "矩阵来访 {who}", "contact_name": "来访人", "consent": true }),
            [401, 201, 201, 201, 201, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/api/v1/opinions/{held_by_dept}"),
            [401, 200, 200, 200, 200, 200, 200, 403, 403, 403, 200],
        ),
        row_with(
            Method::POST,
            &format!("/api/v1/opinions/{held_by_dept}/actions"),
            json!({ "action": "record_handling", "result": "矩阵办理 {who}" }),
            // Only the department holding the case records its handling.
            [401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            &format!("/api/v1/opinions/{under_review}/actions"),
            json!({ "action": "review_uphold", "text": "矩阵复核 {who}" }),
            // The review of a 不满意 rating is the town/street lead's alone.
            [401, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/insights/clusters?year=2026",
            // Concentrated opinions: staff and members in their rooms; departments refused.
            [401, 200, 200, 200, 200, 200, 403, 403, 200, 403, 200],
        ),
        row_with(
            Method::POST,
            "/api/v1/insights/social-report.docx",
            json!({ "title": "矩阵草稿 {who}", "text": "一、基本情况" }),
            [401, 200, 200, 200, 200, 200, 403, 403, 200, 403, 200],
        ),
        row(
            Method::GET,
            "/admin/insights",
            [LOGIN, 200, 200, 200, 200, 200, 403, 403, 200, 403, 200],
        ),
        // Annual summaries (R14): each district writes and submits its own, the city receives or
        // returns; nobody else reads them. 2025 and 2024 of 越秀区 start empty in the demo.
        row(
            Method::GET,
            "/api/v1/annual-summaries?year=2026",
            [401, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/annual-summaries/440104/2026",
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/annual-summaries/440104/2026.docx",
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::PUT,
            "/api/v1/annual-summaries/440104/2025",
            json!({ "text": "二、主要工作\n矩阵 {who}" }),
            [401, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            "/api/v1/annual-summaries/440104/2025/submit",
            [401, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            "/api/v1/annual-summaries/440104/2025/receive",
            [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::PUT,
            "/api/v1/annual-summaries/440104/2024",
            json!({ "text": "二、主要工作\n矩阵 {who}" }),
            [401, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            "/api/v1/annual-summaries/440104/2024/submit",
            [401, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/annual-summaries/440104/2024/return",
            json!({ "reason": "矩阵退回 {who}" }),
            [401, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/annual-summaries?year=2026",
            [LOGIN, 200, 200, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/annual-summaries/440104/2026",
            [LOGIN, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/opinions/overdue",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/opinions/satisfaction",
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/admin/opinions",
            [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            &format!("/admin/opinions/{held_by_dept}"),
            [LOGIN, 200, 200, 200, 200, 200, 200, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            &format!("/track/{code}"),
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        // Inspections and rectification (R15): the working department inspects and accepts; the owners
        // report; members and departments see none of it.
        row(
            Method::GET,
            "/api/v1/inspections?year=2026",
            [401, 200, 200, 200, 200, 403, 403, 403, 200, 403, 200],
        ),
        row(
            Method::GET,
            &format!("/api/v1/inspections/{hongqiao_inspection}"),
            [401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/api/v1/rooms/1/inspection-checklist?date=2026-11-27",
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        // The year's plan: read as the inspections are; planned by the working department, here for
        // the room it inspects in the next row.
        row(
            Method::GET,
            "/api/v1/inspection-plans?year=2026",
            [401, 200, 200, 200, 200, 403, 403, 403, 200, 403, 200],
        ),
        row_with(
            Method::PUT,
            "/api/v1/inspection-plans/5/2026",
            json!({ "planned_on": "2026-12-15", "inspectors": "矩阵 {who}" }),
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        row_with(
            Method::POST,
            "/api/v1/inspections",
            json!({ "room_id": 5, "date": "2026-11-27", "remarks": "矩阵 {who}" }),
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 201],
        ),
        row(
            Method::GET,
            "/api/v1/rectifications",
            [401, 200, 200, 200, 200, 403, 403, 403, 200, 403, 200],
        ),
        row(
            Method::GET,
            &format!("/api/v1/rectifications/{open_task}"),
            [401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 200],
        ),
        // Evidence is added while the task is its owner's to report: before the report below.
        row_with(
            Method::POST,
            &format!("/api/v1/rectifications/{open_task}/photos"),
            json!({ "not": "an image" }),
            [401, 403, 403, 403, 422, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            &format!("/api/v1/rectifications/{open_task}/actions"),
            json!({ "action": "report", "text": "矩阵 {who}" }),
            [401, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            &format!("/api/v1/rectifications/{reported_task}/actions"),
            json!({ "action": "return", "reason": "矩阵 {who}" }),
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/admin/inspections",
            [LOGIN, 200, 200, 200, 200, 403, 403, 403, 200, 403, 200],
        ),
        row(
            Method::GET,
            "/admin/inspections/new?room_id=5",
            [LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            &format!("/admin/inspections/{hongqiao_inspection}"),
            [LOGIN, 200, 200, 200, 200, 403, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/admin/rectifications",
            [LOGIN, 200, 200, 200, 200, 403, 403, 403, 200, 403, 200],
        ),
        row(
            Method::GET,
            &format!("/admin/rectifications/{open_task}/photos/999999.jpg"),
            [LOGIN, 404, 404, 404, 404, 403, 403, 403, 403, 403, 404],
        ),
        row(
            Method::GET,
            &format!("/admin/rectifications/{open_task}"),
            [LOGIN, 200, 200, 200, 200, 403, 403, 403, 403, 403, 200],
        ),
        // Rooms' funding (R16): the street lead and the district enter it; the city reads it; nobody
        // else, and never the public.
        row(
            Method::GET,
            "/api/v1/rooms/1/funding/2026",
            [401, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::PUT,
            "/api/v1/rooms/1/funding/2026",
            json!({ "budget": 30000, "spent": [{ "date": "2026-03-16", "amount": 4800, "category": "equipment", "note": "矩阵 {who}" }] }),
            [401, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/funding?year=2026",
            [401, 200, 200, 200, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/funding",
            [LOGIN, 200, 200, 200, 403, 403, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/rooms/1/funding",
            [LOGIN, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
        ),
        // Members' support requests (R12): the member asks, confirms and asks again; the district
        // answers; the city reads every district's.
        row(
            Method::GET,
            "/api/v1/support-requests",
            [401, 200, 200, 403, 403, 200, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/support-requests/1",
            [401, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/support-requests",
            json!({ "kind": "guidance", "text": "矩阵 {who}", "room_id": 1 }),
            [401, 403, 403, 403, 403, 201, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/support-requests/2/answer",
            json!({ "text": "矩阵 {who}" }),
            [401, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            "/api/v1/support-requests/1/confirm",
            [401, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/support-requests/2/ask-again",
            json!({ "text": "矩阵 {who}" }),
            [401, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/support-requests",
            [LOGIN, 200, 200, 403, 403, 200, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/support-requests/1",
            [LOGIN, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        // Proposals and 社情民意信息 (R13.4): members write and submit them; the district follows and
        // records the outcome; the city reads all.
        row(
            Method::GET,
            "/api/v1/proposals",
            [401, 200, 200, 403, 403, 200, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/api/v1/proposals/{adopted}"),
            [401, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            "/api/v1/proposals",
            json!({ "kind": "social_report", "title": "矩阵 {who}", "text": "矩阵", "case_ids": [member_case] }),
            [401, 403, 403, 403, 403, 201, 403, 403, 403, 403, 403],
        ),
        row_with(
            Method::POST,
            &format!("/api/v1/proposals/{drafted}/actions"),
            json!({ "action": "submit", "number": "矩阵 {who}" }),
            [401, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/admin/proposals",
            [LOGIN, 200, 200, 403, 403, 200, 403, 403, 200, 403, 403],
        ),
        row(
            Method::GET,
            &format!("/admin/proposals/{adopted}"),
            [LOGIN, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403],
        ),
        // Last: each caller ends its own token.
        row(
            Method::POST,
            "/api/v1/auth/logout",
            [401, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204],
        ),
    ];

    // Every operation of the OpenAPI document has a row: a new endpoint cannot skip the matrix.
    let (_, doc) = app.get_json("/api/openapi.json").await;
    let mut missing = Vec::new();
    for (template, operations) in doc["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let covered = table.iter().any(|row| {
                row.method.as_str().eq_ignore_ascii_case(method)
                    && path_matches(template, row.path.split('?').next().unwrap())
            });
            if !covered {
                missing.push(format!("{} {template}", method.to_uppercase()));
            }
        }
    }
    assert!(missing.is_empty(), "routes missing from the matrix: {missing:?}");

    let mut tokens = vec![None];
    let mut sessions = vec![None];
    for who in &WHO[1..] {
        tokens.push(Some(app.token(who).await));
        sessions.push(Some(app.page_session(who).await.0));
    }
    let mut mismatches = Vec::new();
    for (row_no, row) in table.iter().enumerate() {
        for (index, who) in WHO.iter().enumerate() {
            let page = !row.path.starts_with("/api/");
            let request = match (page, &tokens[index], &sessions[index]) {
                (true, _, Some(client)) => client.request(row.method.clone(), app.url(&row.path)),
                (false, Some(token), _) => new_client()
                    .request(row.method.clone(), app.url(&row.path))
                    .bearer_auth(token),
                _ => new_client().request(row.method.clone(), app.url(&row.path)),
            };
            let request = match &row.body {
                Some(template) => request.json(&body_for(template, who, index)),
                None => request,
            };
            let status = request.send().await.unwrap().status().as_u16();
            if status != row.expect[index] {
                mismatches.push(format!(
                    "row {row_no}: {} {} as {who}: expected {}, got {status}",
                    row.method, row.path, row.expect[index]
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "authorization matrix:\n{}",
        mismatches.join("\n")
    );
}

/// What each account's scoped lists hold.
async fn scoped_lists_show_each_account_only_its_own_part(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let names = |list: &Value, field: &str| -> Vec<String> {
        let mut names: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item[field].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };
    //                     who                    rooms  departments  accounts
    let expected: [(&str, usize, usize, Option<usize>); 10] = [
        ("demo-city", 6, 5, Some(10)),
        ("demo-district", 3, 4, Some(7)),
        ("demo-street", 1, 4, None),
        ("demo-staff", 1, 4, None),
        ("demo-member", 1, 0, None),
        ("demo-dept", 0, 1, None),
        ("demo-petition", 0, 1, None),
        ("demo-other-district", 1, 1, Some(1)),
        ("demo-district-dept", 0, 1, None),
        ("demo-inspector", 6, 5, None),
    ];
    for (who, rooms, departments, accounts) in expected {
        let token = app.token(who).await;
        let get = |path: &'static str| app.with_token(Method::GET, path, &token).send();
        let room_list: Value = get("/api/v1/rooms").await.unwrap().json().await.unwrap();
        assert_eq!(
            room_list.as_array().unwrap().len(),
            rooms,
            "{who} rooms: {:?}",
            names(&room_list, "name")
        );
        let dept_list: Value = get("/api/v1/departments").await.unwrap().json().await.unwrap();
        assert_eq!(
            dept_list.as_array().unwrap().len(),
            departments,
            "{who} departments: {:?}",
            names(&dept_list, "name")
        );
        if let Some(accounts) = accounts {
            let list: Value = get("/api/v1/accounts").await.unwrap().json().await.unwrap();
            assert_eq!(
                list.as_array().unwrap().len(),
                accounts,
                "{who} accounts: {:?}",
                names(&list, "username")
            );
        }
    }
    // The other district's staff see Haizhu's, never Yuexiu's.
    let token = app.token("demo-other-district").await;
    let rooms: Value = app
        .with_token(Method::GET, "/api/v1/rooms", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        rooms
            .as_array()
            .unwrap()
            .iter()
            .all(|room| room["district"] == "海珠区")
    );
    let departments: Value = app
        .with_token(Method::GET, "/api/v1/departments", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names(&departments, "name"), ["海珠区信访局"]);
    // The petition department sees itself; the street sees its own two and the district's two.
    let token = app.token("demo-petition").await;
    let departments: Value = app
        .with_token(Method::GET, "/api/v1/departments", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names(&departments, "name"), ["越秀区信访局"]);
}

on_both_databases!(
    every_account_gets_exactly_the_routes_its_role_allows,
    scoped_lists_show_each_account_only_its_own_part
);
