//! The proposal route for every opinion (R13.4), on both databases: room staff name a member serving
//! the room to take up any received case, online submissions included, without moving it
//! (`assign_member`); the member then sees it and drafts a proposal (提案) from it; the resident's
//! tracking page says so in plain words. Bad input, other roles and double submits change nothing.

mod common;

use common::{TestApp, call, count_of, statuses_in_parallel};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

const HONGQIAO: i64 = 1;

async fn online_case(app: &TestApp, content: &str) -> (i64, String) {
    let response = common::new_client()
        .post(app.url(&format!("/api/v1/public/rooms/{HONGQIAO}/opinions")))
        .json(&json!({
            "content": content, "contact_name": "区女士", "contact_phone": "13900002222",
            "community": "三眼井社区", "consent": true,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let created: Value = response.json().await.unwrap();
    let code = created["tracking_code"].as_str().unwrap().to_owned();
    let staff = app.token("demo-staff").await;
    (common::case_id(app, &staff, &code).await, code)
}

async fn step(app: &TestApp, token: &str, id: i64, body: Value) -> (u16, Value) {
    call(
        app,
        token,
        Method::POST,
        &format!("/api/v1/opinions/{id}/actions"),
        Some(body),
    )
    .await
}

/// (the demo member's id, a member serving 华乐街 but not 洪桥).
async fn members(app: &TestApp) -> (i64, i64) {
    let city = app.token("demo-city").await;
    let (_, all) = call(app, &city, Method::GET, "/api/v1/members", None).await;
    let all = all.as_array().unwrap();
    let serves = |m: &Value, room: &str| m["rooms"].as_array().unwrap().iter().any(|r| r == room);
    let ours = all.iter().find(|m| m["name"] == "陈思远").unwrap()["id"]
        .as_i64()
        .unwrap();
    let elsewhere = all
        .iter()
        .find(|m| serves(m, "华乐街政协委员工作室") && !serves(m, "洪桥街政协委员工作室"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    (ours, elsewhere)
}

async fn step_count(app: &TestApp, token: &str, id: i64) -> usize {
    let (_, case) = call(app, token, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
    case["steps"].as_array().map_or(0, Vec::len)
}

async fn staff_name_a_member_who_drafts_a_proposal(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let member = app.token("demo-member").await;
    let (our_member, other_member) = members(&app).await;
    let (id, code) = online_case(&app, "三眼井社区老人多，希望增设长者饭堂送餐点。").await;
    let (_, before) = call(&app, &staff, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
    assert_eq!(before["status"], "received");
    assert!(
        before["next_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("assign_member")),
        "{before}"
    );

    // An online case names no member: the member does not see it, and may not name themself.
    let (status, _) = call(
        &app,
        &member,
        Method::GET,
        &format!("/api/v1/opinions/{id}"),
        None,
    )
    .await;
    assert!(status == 403 || status == 404, "{status}");
    let (status, _) = step(
        &app,
        &member,
        id,
        json!({"action": "assign_member", "member_id": our_member}),
    )
    .await;
    assert!(status == 403 || status == 404, "{status}");

    // Bad input: no member, one serving another room, one that does not exist — 422, nothing written.
    for (body, field) in [
        (json!({"action": "assign_member"}), "member_id"),
        (
            json!({"action": "assign_member", "member_id": other_member}),
            "member_id",
        ),
        (
            json!({"action": "assign_member", "member_id": 999_999}),
            "member_id",
        ),
    ] {
        let (status, err) = step(&app, &staff, id, body.clone()).await;
        assert_eq!(status, 422, "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    assert_eq!(step_count(&app, &staff, id).await, 0, "nothing written");

    let (status, named) = step(
        &app,
        &staff,
        id,
        json!({"action": "assign_member", "member_id": our_member}),
    )
    .await;
    assert_eq!(status, 200, "{named}");
    assert_eq!(named["status"], "received", "the case stays with the room");
    assert_eq!(named["member"], "陈思远");
    assert_eq!(named["due_on"], before["due_on"], "the triage day stands");
    let history = named["steps"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["action"], "assign_member");
    assert_eq!(history[0]["text"], "请陈思远委员跟进");
    // The same member again is a conflict, not a second step.
    let (status, _) = step(
        &app,
        &staff,
        id,
        json!({"action": "assign_member", "member_id": our_member}),
    )
    .await;
    assert_eq!(status, 409);

    // The member is told, sees the case and takes it up as a proposal.
    let (_, told) = call(&app, &member, Method::GET, "/api/v1/notifications", None).await;
    assert!(
        told["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["link"] == format!("/admin/opinions/{id}")),
        "{told}"
    );
    let (status, seen) = call(
        &app,
        &member,
        Method::GET,
        &format!("/api/v1/opinions/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(
        seen["next_actions"],
        json!(["draft_proposal", "draft_social_report"])
    );
    let (status, drafted) = step(
        &app,
        &member,
        id,
        json!({"action": "draft_proposal", "title": "关于在老旧社区增设长者饭堂送餐点的提案", "text": "三眼井社区独居老人多……"}),
    )
    .await;
    assert_eq!(status, 200, "{drafted}");
    assert_eq!(
        (drafted["status"].as_str(), drafted["route"].as_str()),
        (Some("done"), Some("proposal"))
    );

    // The resident reads both steps in plain words.
    let (_, public) = app.get_json(&format!("/api/v1/public/track/{code}")).await;
    let said: Vec<&str> = public["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["what"].as_str().unwrap())
        .collect();
    assert_eq!(said, ["工作室请陈思远委员跟进", "委员据此形成提案"], "{public}");

    // Once routed elsewhere, a case can no longer be given to a member: 409.
    let (other, _) = online_case(&app, "小区路灯坏了。").await;
    let (status, _) = step(&app, &staff, other, json!({"action": "refer_to_street"})).await;
    assert_eq!(status, 200);
    let (status, _) = step(
        &app,
        &staff,
        other,
        json!({"action": "assign_member", "member_id": our_member}),
    )
    .await;
    assert_eq!(status, 409);
}

async fn naming_a_member_twice_at_once_writes_one_step(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let (our_member, _) = members(&app).await;
    let (id, _) = online_case(&app, "楼下垃圾站气味大。").await;
    let requests = (0..20)
        .map(|_| {
            app.with_token(Method::POST, &format!("/api/v1/opinions/{id}/actions"), &staff)
                .json(&json!({"action": "assign_member", "member_id": our_member}))
        })
        .collect();
    let statuses = statuses_in_parallel(requests).await;
    assert_eq!(count_of(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(count_of(&statuses, 409), 19, "{statuses:?}");
    assert_eq!(step_count(&app, &staff, id).await, 1);
}

on_both_databases!(
    staff_name_a_member_who_drafts_a_proposal,
    naming_a_member_twice_at_once_writes_one_step,
);
