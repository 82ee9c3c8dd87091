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

async fn proposal(app: &TestApp, token: &str, id: i64, body: Value) -> (u16, Value) {
    call(
        app,
        token,
        Method::POST,
        &format!("/api/v1/proposals/{id}/actions"),
        Some(body),
    )
    .await
}

async fn tracking_words(app: &TestApp, code: &str) -> Vec<String> {
    let (_, public) = app.get_json(&format!("/api/v1/public/track/{code}")).await;
    public["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let what = s["what"].as_str().unwrap();
            match s["detail"].as_str() {
                Some(detail) => format!("{what}：{detail}"),
                None => what.to_owned(),
            }
        })
        .collect()
}

/// A room 陈思远 does not serve.
async fn room_not_served(app: &TestApp) -> i64 {
    let city = app.token("demo-city").await;
    let (_, all) = call(app, &city, Method::GET, "/api/v1/members", None).await;
    let served: Vec<Value> = all
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "陈思远")
        .unwrap()["rooms"]
        .as_array()
        .unwrap()
        .clone();
    let (_, rooms) = app.get_json("/api/v1/public/rooms").await;
    rooms
        .as_array()
        .unwrap()
        .iter()
        .find(|r| !served.contains(&r["name"]))
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// What becomes of a proposal drafted on a case: the member submits it with the CPPCC's number, the
/// district records it accepted and the unit's answer; the resident reads each step.
async fn a_proposals_fate_reaches_the_residents_tracking_page(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let member = app.token("demo-member").await;
    let district = app.token("demo-district").await;
    let (our_member, _) = members(&app).await;
    let (id, code) = online_case(&app, "旧楼没有电梯，七楼老人落楼好难，希望加装电梯。").await;
    step(
        &app,
        &staff,
        id,
        json!({"action": "assign_member", "member_id": our_member}),
    )
    .await;
    let (status, _) = step(
        &app,
        &member,
        id,
        json!({"action": "draft_proposal", "title": "关于加快老旧小区加装电梯的提案", "text": "洪桥街老旧楼宇多……"}),
    )
    .await;
    assert_eq!(status, 200);

    // The draft is kept, linked to the case, and waits on the member to submit it.
    let (status, list) = call(&app, &member, Method::GET, "/api/v1/proposals", None).await;
    assert_eq!(status, 200, "{list}");
    let drafts: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["origin_case_id"] == id)
        .collect();
    assert_eq!(drafts.len(), 1, "{list}");
    let draft = drafts[0];
    let pid = draft["id"].as_i64().unwrap();
    assert_eq!(draft["kind"], "proposal");
    assert_eq!(draft["status"], "drafted");
    assert_eq!(draft["origin_case_id"], id);
    assert_eq!(draft["cases"][0]["id"], id);
    assert_eq!(draft["member_name"], "陈思远");
    assert_eq!(draft["actions"], json!(["submit"]));
    let (_, district_list) = call(&app, &district, Method::GET, "/api/v1/proposals", None).await;
    let followed = district_list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == pid)
        .expect("the district follows its members' drafts");
    assert_eq!(followed["actions"], json!([]), "the member submits");

    // Bad steps: no number, out of order, by someone else — each refused, nothing written.
    let (status, err) = proposal(&app, &member, pid, json!({"action": "submit", "number": "  "})).await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("number")),
        "{err}"
    );
    let (status, _) = proposal(&app, &member, pid, json!({"action": "accept"})).await;
    assert_eq!(status, 409, "accepted before it is submitted");
    let (status, _) = proposal(&app, &member, pid, json!({"action": "publish"})).await;
    assert_eq!(status, 422);
    let (status, _) = proposal(&app, &member, pid, json!({"action": "withdraw"})).await;
    assert_eq!(status, 409, "a draft on a case stays in the case's record");
    for account in ["demo-staff", "demo-street", "demo-dept", "demo-other-district"] {
        let token = app.token(account).await;
        let (status, _) = proposal(&app, &token, pid, json!({"action": "submit", "number": "1"})).await;
        assert_eq!(status, 403, "{account}");
        let (status, _) = call(
            &app,
            &token,
            Method::GET,
            &format!("/api/v1/proposals/{pid}"),
            None,
        )
        .await;
        assert_eq!(status, 403, "{account}");
    }
    let outsider = app.token("demo-other-district").await;
    let (status, _) = proposal(&app, &outsider, pid, json!({"action": "submit", "number": ""})).await;
    assert_eq!(status, 403, "who may act is checked before what was sent");
    let (_, unchanged) = call(
        &app,
        &member,
        Method::GET,
        &format!("/api/v1/proposals/{pid}"),
        None,
    )
    .await;
    assert_eq!(unchanged["history"].as_array().unwrap().len(), 1);

    let (status, submitted) = proposal(
        &app,
        &member,
        pid,
        json!({"action": "submit", "number": "20260123"}),
    )
    .await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["number"], "20260123");
    let (status, accepted) = proposal(&app, &district, pid, json!({"action": "accept"})).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["status_label"], "已立案，待承办单位答复");
    let (status, err) = proposal(
        &app,
        &district,
        pid,
        json!({"action": "answer", "text": "已简化审批"}),
    )
    .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("unit")),
        "{err}"
    );
    let (status, answered) = proposal(
        &app,
        &district,
        pid,
        json!({"action": "answer", "unit": "越秀区住房城乡建设局", "text": "已将洪桥街纳入明年加装电梯试点，审批压缩到 30 个工作日。"}),
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["status"], "answered");
    assert_eq!(answered["actions"], json!([]));
    let steps: Vec<&str> = answered["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["draft", "submit", "accept", "answer"]);

    assert_eq!(
        tracking_words(&app, &code).await,
        [
            "工作室请陈思远委员跟进",
            "委员据此形成提案：关于加快老旧小区加装电梯的提案",
            "提案《关于加快老旧小区加装电梯的提案》已提交政协，编号 20260123",
            "提案《关于加快老旧小区加装电梯的提案》已立案，交承办单位办理",
            "越秀区住房城乡建设局已答复提案《关于加快老旧小区加装电梯的提案》：已将洪桥街纳入明年加装电梯试点，审批压缩到 30 个工作日。",
        ]
    );
}

/// A member drafts a 社情民意信息 from a group of similar opinions in the rooms they serve; each
/// case's resident reads that it was taken up with others, and what became of it.
async fn a_draft_from_a_group_of_opinions_links_each_case(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let member = app.token("demo-member").await;
    let (first, first_code) = online_case(&app, "垃圾站好臭，夏天开唔到窗。").await;
    let (second, second_code) = online_case(&app, "小区垃圾分类投放点太少，要走好远。").await;
    let elsewhere = {
        let room = room_not_served(&app).await;
        let response = common::new_client()
            .post(app.url(&format!("/api/v1/public/rooms/{room}/opinions")))
            .json(&json!({
                "content": "垃圾站冇人清理。", "contact_name": "何生", "contact_phone": "13900003333",
                "consent": true,
            }))
            .send()
            .await
            .unwrap();
        let code: Value = response.json().await.unwrap();
        let city = app.token("demo-city").await;
        common::case_id(&app, &city, code["tracking_code"].as_str().unwrap()).await
    };
    let screened = {
        let staff = app.token("demo-staff").await;
        let (_, cases) = common::case_list(&app, &staff).await;
        cases
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["route"] == "screened_out")
            .expect("the demo screens one matter out in 洪桥")["id"]
            .as_i64()
            .unwrap()
    };
    let body = |kind: &str, cases: Value| json!({"kind": kind, "title": "关于群众集中反映垃圾站问题的情况和建议", "text": "一、基本情况……", "case_ids": cases});

    let (_, before) = call(&app, &member, Method::GET, "/api/v1/proposals", None).await;
    // Bad input: no cases, a case of a room the member does not serve, one that does not exist, a
    // kind that does not exist — 422, nothing written; other roles do not write drafts.
    for (payload, field) in [
        (body("social_report", json!([])), "case_ids"),
        (body("social_report", json!([first, elsewhere])), "case_ids"),
        (body("social_report", json!([first, 999_999])), "case_ids"),
        (body("social_report", json!([first, screened])), "case_ids"),
        (body("leaflet", json!([first])), "kind"),
        (
            json!({"kind": "proposal", "title": "", "text": "x", "case_ids": [first]}),
            "title",
        ),
    ] {
        let (status, err) = call(
            &app,
            &member,
            Method::POST,
            "/api/v1/proposals",
            Some(payload.clone()),
        )
        .await;
        assert_eq!(status, 422, "{payload}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    for account in ["demo-staff", "demo-district", "demo-city", "demo-dept"] {
        let token = app.token(account).await;
        let (status, _) = call(
            &app,
            &token,
            Method::POST,
            "/api/v1/proposals",
            Some(body("social_report", json!([first]))),
        )
        .await;
        assert_eq!(status, 403, "{account}");
    }
    let (_, after) = call(&app, &member, Method::GET, "/api/v1/proposals", None).await;
    assert_eq!(after, before, "nothing written");

    let (status, created) = call(
        &app,
        &member,
        Method::POST,
        "/api/v1/proposals",
        Some(body("social_report", json!([second, first, first]))),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let pid = created["id"].as_i64().unwrap();
    let (_, draft) = call(
        &app,
        &member,
        Method::GET,
        &format!("/api/v1/proposals/{pid}"),
        None,
    )
    .await;
    let linked: Vec<i64> = draft["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(linked, [first, second], "each case once");
    assert_eq!(draft["origin_case_id"], Value::Null);
    // Until it is submitted the draft is the member's own: the residents read nothing of it yet.
    let quiet = tracking_words(&app, &first_code).await;
    assert!(!quiet.iter().any(|w| w.contains("垃圾站问题")), "{quiet:?}");
    proposal(
        &app,
        &member,
        pid,
        json!({"action": "submit", "number": "SQ-2026-045"}),
    )
    .await;
    let (status, declined) = proposal(
        &app,
        &member,
        pid,
        json!({"action": "decline", "reason": "同类信息已由他人报送"}),
    )
    .await;
    assert_eq!(status, 200, "{declined}");
    assert_eq!(declined["status_label"], "未采用");

    for code in [&first_code, &second_code] {
        let words = tracking_words(&app, code).await;
        assert_eq!(
            words,
            [
                "委员把您和其他群众反映的同类问题写成社情民意信息：《关于群众集中反映垃圾站问题的情况和建议》",
                "社情民意信息《关于群众集中反映垃圾站问题的情况和建议》已提交政协，编号 SQ-2026-045",
                "社情民意信息《关于群众集中反映垃圾站问题的情况和建议》未被采用：同类信息已由他人报送",
            ],
            "{code}"
        );
    }

    // A group's draft may be set aside before it is submitted; residents never read of it. A draft
    // written on a case may not (its case step already told the resident).
    let (_, aside) = call(
        &app,
        &member,
        Method::POST,
        "/api/v1/proposals",
        Some(body("proposal", json!([second]))),
    )
    .await;
    let aside = aside["id"].as_i64().unwrap();
    let (status, withdrawn) = proposal(&app, &member, aside, json!({"action": "withdraw"})).await;
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["actions"], json!([]));
    let (status, _) = proposal(&app, &member, aside, json!({"action": "submit", "number": "1"})).await;
    assert_eq!(status, 409, "withdrawn is final");
    assert_eq!(
        tracking_words(&app, &second_code).await.len(),
        3,
        "nothing of it on the page"
    );

    // The same step sent at once by several hands is taken once.
    let (_, again) = call(
        &app,
        &member,
        Method::POST,
        "/api/v1/proposals",
        Some(body("proposal", json!([first]))),
    )
    .await;
    let again = again["id"].as_i64().unwrap();
    let requests = (0..12)
        .map(|n| {
            app.with_token(
                Method::POST,
                &format!("/api/v1/proposals/{again}/actions"),
                &member,
            )
            .json(&json!({"action": "submit", "number": format!("N{n}")}))
        })
        .collect();
    let statuses = statuses_in_parallel(requests).await;
    assert_eq!(count_of(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(count_of(&statuses, 409), 11, "{statuses:?}");
    let (_, once) = call(
        &app,
        &member,
        Method::GET,
        &format!("/api/v1/proposals/{again}"),
        None,
    )
    .await;
    assert_eq!(once["history"].as_array().unwrap().len(), 2, "{once}");
}

/// On pages: the member saves a group's draft from the concentrated opinions' page, submits it, and
/// a form with a missing number is shown again with the typed text and a clear error.
async fn a_member_saves_and_follows_a_draft_on_pages(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (first, _) = online_case(&app, "河涌黑臭，夏天好大味。").await;
    let (second, _) = online_case(&app, "河涌水又黑又臭，希望治理。").await;
    let (client, csrf) = app.page_session("demo-member").await;
    let response = client
        .post(app.url("/admin/proposals"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "social_report"),
            ("title", "关于河涌黑臭的情况和建议"),
            ("text", "基本情况……"),
            ("case_ids", &format!("{first},{second}")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303, "saved and shown");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/admin/proposals/"), "{location}");
    let page = common::get_text(&client, &app.url(&location)).await;
    assert!(
        page.contains("关于河涌黑臭的情况和建议") && page.contains("已起草，待提交"),
        "{page}"
    );
    assert!(page.contains("政协给出的编号"), "the member may submit it");

    // A missing number: the page again, 422, with the reason.
    let response = client
        .post(app.url(&location))
        .form(&[("csrf", csrf.as_str()), ("action", "submit"), ("number", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("role=\"alert\">政协给出的编号不能为空"), "{body}");
    let response = client
        .post(app.url(&location))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "submit"),
            ("number", "2026-88"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let page = common::get_text(&client, &app.url(&location)).await;
    assert!(
        page.contains("编号 2026-88") && page.contains("已提交政协"),
        "{page}"
    );

    // A bad case list is shown again with the draft, not lost.
    let response = client
        .post(app.url("/admin/proposals"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "proposal"),
            ("title", "保留的标题"),
            ("text", "保留的正文"),
            ("case_ids", "1,abc"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("保留的标题") && body.contains("保留的正文"),
        "{body}"
    );

    let list = common::get_text(&client, &app.url("/admin/proposals")).await;
    assert!(list.contains("关于河涌黑臭的情况和建议"), "{list}");
}

on_both_databases!(
    staff_name_a_member_who_drafts_a_proposal,
    naming_a_member_twice_at_once_writes_one_step,
    a_proposals_fate_reaches_the_residents_tracking_page,
    a_draft_from_a_group_of_opinions_links_each_case,
    a_member_saves_and_follows_a_draft_on_pages,
);
