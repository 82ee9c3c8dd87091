//! Rooms' rules (工作室制度, R14) and districts' templates on both databases: a room writes and revises
//! its rules with every version kept, what is in force is what the public sees, a district publishes
//! templates that rooms adopt and later follow, two revisions at once land one, and every refusal is a
//! clear 4xx with nothing written.

mod common;

use common::{TestApp, call, count_of, statuses_in_parallel};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

/// 洪桥街政协委员工作室, demo-staff's room.
const HONGQIAO_ROOM: i64 = 1;
/// 海珠区流动委员工作室.
const HAIZHU_ROOM: i64 = 4;
const YUEXIU: &str = "440104";
const HAIZHU: &str = "440105";

fn rule<'a>(rules: &'a Value, title: &str) -> &'a Value {
    rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == title)
        .unwrap_or_else(|| panic!("no rule {title} in {rules}"))
}

async fn rules_of(app: &TestApp, token: &str, room: i64) -> Value {
    let (status, body) = call(
        app,
        token,
        Method::GET,
        &format!("/api/v1/rooms/{room}/rules"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn a_room_writes_and_revises_its_rules_keeping_every_version(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let demo = rules_of(&app, &staff, HONGQIAO_ROOM).await;
    assert_eq!(demo["may_write"], true);
    assert_eq!(demo["rules"].as_array().unwrap().len(), 3, "{demo}");
    let duty = rule(&demo, "洪桥街工作室委员值班制度");
    assert_eq!(duty["current_version"], 2);
    assert_eq!(duty["versions"][0]["standing"], "superseded");
    assert_eq!(duty["versions"][1]["standing"], "current");
    // The district revised its reception template after the room adopted it.
    assert_eq!(rule(&demo, "政协委员工作室接待群众制度")["template_update"], 2);

    let (status, created) = call(
        &app,
        &staff,
        Method::POST,
        &format!("/api/v1/rooms/{HONGQIAO_ROOM}/rules"),
        Some(json!({
            "title": "工作室学习制度",
            "text": "一、每季度组织委员集中学习一次。\n二、学习情况记入工作台账。",
            "effective_from": "2026-11-01",
        })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();

    // A version dated on or before the last one would slip under it.
    let versions = format!("/api/v1/rooms/{HONGQIAO_ROOM}/rules/{id}/versions");
    let (status, body) = call(
        &app,
        &staff,
        Method::POST,
        &versions,
        Some(json!({ "title": "工作室学习制度", "text": "新的", "effective_from": "2026-11-01" })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "effective_from", "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("2026-11-01"));

    let (status, added) = call(
        &app,
        &staff,
        Method::POST,
        &versions,
        Some(json!({
            "title": "工作室学习制度（修订）",
            "text": "一、每两个月组织委员集中学习一次。",
            "effective_from": "2027-01-01",
            "based_on": 1,
        })),
    )
    .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["version"], 2);
    // Started from version 1 again: someone else's version 2 is there now.
    let (status, body) = call(
        &app,
        &staff,
        Method::POST,
        &versions,
        Some(json!({ "title": "x", "text": "y", "effective_from": "2027-02-01", "based_on": 1 })),
    )
    .await;
    assert_eq!(status, 409, "{body}");

    let now = rules_of(&app, &staff, HONGQIAO_ROOM).await;
    let study = rule(&now, "工作室学习制度");
    assert_eq!(study["current_version"], 1, "version 2 is still to come");
    assert_eq!(study["versions"][1]["standing"], "upcoming");
    assert_eq!(study["versions"][1]["title"], "工作室学习制度（修订）");
    assert_eq!(study["versions"][1]["created_by"], "demo-staff");

    // The public sees the versions in force, not those to come nor the old ones.
    let (status, public) = app
        .get_json(&format!("/api/v1/public/rooms/{HONGQIAO_ROOM}"))
        .await;
    assert_eq!(status, 200);
    let public_rules = public["rules"].as_array().unwrap();
    assert_eq!(public_rules.len(), 4, "{public}");
    let study_public = public_rules
        .iter()
        .find(|r| r["title"] == "工作室学习制度")
        .unwrap();
    assert_eq!(study_public["version"], 1);
    assert!(!public.to_string().contains("（修订）"));
    let duty_public = public_rules
        .iter()
        .find(|r| r["title"] == "洪桥街工作室委员值班制度")
        .unwrap();
    assert!(
        duty_public["text"].as_str().unwrap().contains("轮流值班"),
        "the current text"
    );
    let page = app
        .get(&format!("/rooms/{HONGQIAO_ROOM}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("工作室制度") && page.contains("工作室学习制度"),
        "{page}"
    );

    // A month on, the revision is in force and the public page follows.
    app.clock.advance(chrono::Duration::days(40));
    let (_, public) = app
        .get_json(&format!("/api/v1/public/rooms/{HONGQIAO_ROOM}"))
        .await;
    assert!(public.to_string().contains("工作室学习制度（修订）"), "{public}");

    // Every change is in the audit trail.
    let city = app.token("demo-city").await;
    let (_, audit) = call(&app, &city, Method::GET, "/api/v1/audit?entity=room_rule", None).await;
    let text = audit.to_string();
    assert!(
        text.contains("room_rule.create") && text.contains("room_rule.revise"),
        "{text}"
    );
}

async fn a_district_publishes_templates_that_rooms_adopt_and_follow(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let district = app.token("demo-district").await;
    let staff = app.token("demo-staff").await;
    let templates = format!("/api/v1/districts/{YUEXIU}/rule-templates");
    let (status, created) = call(
        &app,
        &district,
        Method::POST,
        &templates,
        Some(json!({
            "title": "委员联系群众制度",
            "text": "一、每位委员每年联系群众不少于两次。",
            "effective_from": "2026-12-01",
        })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let template = created["id"].as_i64().unwrap();

    // The room's staff read the district's templates and are offered the new one.
    let (status, listed) = call(&app, &staff, Method::GET, &templates, None).await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["templates"].as_array().unwrap().len(), 4);
    assert_eq!(listed["may_publish"], false);
    let offered = rules_of(&app, &staff, HONGQIAO_ROOM).await;
    assert!(
        offered["templates_to_adopt"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == template),
        "{offered}"
    );

    let adopt = format!("/api/v1/rooms/{HONGQIAO_ROOM}/rules/adopt");
    let body = json!({ "template_id": template, "effective_from": "2026-12-01" });
    let (status, adopted) = call(&app, &staff, Method::POST, &adopt, Some(body.clone())).await;
    assert_eq!(status, 201, "{adopted}");
    let rule_id = adopted["id"].as_i64().unwrap();
    let (status, again) = call(&app, &staff, Method::POST, &adopt, Some(body)).await;
    assert_eq!(status, 409, "{again}");
    assert!(again["error"]["message"].as_str().unwrap().contains("已采用"));

    // The district revises the template; the room is told and follows when it chooses.
    let (status, revised) = call(
        &app,
        &district,
        Method::POST,
        &format!("{templates}/{template}/versions"),
        Some(json!({
            "title": "委员联系群众制度",
            "text": "一、每位委员每年联系群众不少于四次。",
            "effective_from": "2027-01-01",
            "based_on": 1,
        })),
    )
    .await;
    assert_eq!(status, 201, "{revised}");
    let (_, listed) = call(&app, &district, Method::GET, &templates, None).await;
    let ours = listed["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == template)
        .unwrap()
        .clone();
    assert_eq!(ours["adopted_by_rooms"], 1);
    let room = rules_of(&app, &staff, HONGQIAO_ROOM).await;
    assert_eq!(rule(&room, "委员联系群众制度")["template_update"], 2);
    let follow = format!("/api/v1/rooms/{HONGQIAO_ROOM}/rules/{rule_id}/follow-template");
    let (status, followed) = call(
        &app,
        &staff,
        Method::POST,
        &follow,
        Some(json!({ "effective_from": "2027-01-01" })),
    )
    .await;
    assert_eq!(status, 201, "{followed}");
    let room = rules_of(&app, &staff, HONGQIAO_ROOM).await;
    let ours = rule(&room, "委员联系群众制度");
    assert_eq!(ours["template_update"], Value::Null);
    assert_eq!(ours["versions"][1]["from_template_version"], 2);
    assert!(ours["versions"][1]["text"].as_str().unwrap().contains("四次"));
    let (status, body) = call(
        &app,
        &staff,
        Method::POST,
        &follow,
        Some(json!({ "effective_from": "2027-02-01" })),
    )
    .await;
    assert_eq!(status, 409, "already on the newest: {body}");

    // A room's own rule has no template to follow; another district's template cannot be adopted.
    let own = rule(&room, "洪桥街工作室委员值班制度")["id"].as_i64().unwrap();
    let (status, _) = call(
        &app,
        &staff,
        Method::POST,
        &format!("/api/v1/rooms/{HONGQIAO_ROOM}/rules/{own}/follow-template"),
        Some(json!({ "effective_from": "2027-01-01" })),
    )
    .await;
    assert_eq!(status, 409);
    let other = app.token("demo-other-district").await;
    let (status, theirs) = call(
        &app,
        &other,
        Method::POST,
        &format!("/api/v1/districts/{HAIZHU}/rule-templates"),
        Some(json!({ "title": "海珠区接待制度", "text": "正文", "effective_from": "2026-12-01" })),
    )
    .await;
    assert_eq!(status, 201);
    let (status, body) = call(
        &app,
        &staff,
        Method::POST,
        &adopt,
        Some(json!({ "template_id": theirs["id"], "effective_from": "2026-12-01" })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "template_id");
}

async fn who_may_read_and_write_rules(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let room_rules = format!("/api/v1/rooms/{HONGQIAO_ROOM}/rules");
    let new_rule = json!({ "title": "试行制度", "text": "正文", "effective_from": "2026-12-01" });
    for (who, read, write) in [
        ("demo-city", 200, 201),
        ("demo-district", 200, 201),
        ("demo-street", 200, 201),
        ("demo-staff", 200, 201),
        ("demo-member", 200, 403),
        ("demo-dept", 403, 403),
        ("demo-petition", 403, 403),
        ("demo-other-district", 403, 403),
    ] {
        let token = app.token(who).await;
        let (status, body) = call(&app, &token, Method::GET, &room_rules, None).await;
        assert_eq!(status, read, "{who} reads: {body}");
        if status == 200 {
            assert_eq!(body["may_write"], write == 201, "{who}");
            if write != 201 {
                assert!(body["templates_to_adopt"].as_array().unwrap().is_empty());
            }
        }
        let (status, body) = call(&app, &token, Method::POST, &room_rules, Some(new_rule.clone())).await;
        assert_eq!(status, write, "{who} writes: {body}");
    }
    let templates = format!("/api/v1/districts/{YUEXIU}/rule-templates");
    let template = json!({ "title": "模板", "text": "正文", "effective_from": "2026-12-01" });
    for (who, read, write) in [
        ("demo-city", 200, 201),
        ("demo-district", 200, 201),
        ("demo-street", 200, 403),
        ("demo-staff", 200, 403),
        ("demo-member", 403, 403),
        ("demo-dept", 403, 403),
        ("demo-other-district", 403, 403),
    ] {
        let token = app.token(who).await;
        let (status, body) = call(&app, &token, Method::GET, &templates, None).await;
        assert_eq!(status, read, "{who} reads templates: {body}");
        let (status, body) = call(&app, &token, Method::POST, &templates, Some(template.clone())).await;
        assert_eq!(status, write, "{who} publishes: {body}");
    }
    let (status, _) = app.get_json(&room_rules).await;
    assert_eq!(status, 401);
    // Outside the city's view an unknown room or district looks like one out of scope.
    let city = app.token("demo-city").await;
    let (status, _) = call(&app, &city, Method::GET, "/api/v1/rooms/999/rules", None).await;
    assert_eq!(status, 404);
    let (status, _) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/districts/449999/rule-templates",
        None,
    )
    .await;
    assert_eq!(status, 404);
    let staff = app.token("demo-staff").await;
    let (status, _) = call(&app, &staff, Method::GET, "/api/v1/rooms/999/rules", None).await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &app,
        &staff,
        Method::GET,
        &format!("/api/v1/rooms/{HAIZHU_ROOM}/rules"),
        None,
    )
    .await;
    assert_eq!(status, 403);
}

async fn bad_input_is_refused_and_nothing_is_written(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let before = rules_of(&app, &staff, HONGQIAO_ROOM).await;
    let room_rules = format!("/api/v1/rooms/{HONGQIAO_ROOM}/rules");
    let long_text = "字".repeat(20_001);
    for (body, field) in [
        (
            json!({ "title": "", "text": "正文", "effective_from": "2026-12-01" }),
            "title",
        ),
        (
            json!({ "title": "  ", "text": "正文", "effective_from": "2026-12-01" }),
            "title",
        ),
        (
            json!({ "title": "两行\n标题", "text": "正文", "effective_from": "2026-12-01" }),
            "title",
        ),
        (
            json!({ "title": "反转\u{202E}标题", "text": "正文", "effective_from": "2026-12-01" }),
            "title",
        ),
        (
            json!({ "title": "长".repeat(61), "text": "正文", "effective_from": "2026-12-01" }),
            "title",
        ),
        (
            json!({ "title": "制度", "text": "", "effective_from": "2026-12-01" }),
            "text",
        ),
        (
            json!({ "title": "制度", "text": long_text, "effective_from": "2026-12-01" }),
            "text",
        ),
        (
            json!({ "title": "制度", "text": "正文", "effective_from": "2019-10-30" }),
            "effective_from",
        ),
        (
            json!({ "title": "制度", "text": "正文", "effective_from": "2028-01-01" }),
            "effective_from",
        ),
    ] {
        let (status, answer) = call(&app, &staff, Method::POST, &room_rules, Some(body.clone())).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{body}: {answer}");
        assert!(!answer["error"]["message"].as_str().unwrap().is_empty());
    }
    for raw in [
        r#"{"title":"制度","text":"正文"}"#,
        r#"{"title":"制度","text":"正文","effective_from":"2026-13-01"}"#,
        r#"{"title":"制度","text":"正文","effective_from":20261201}"#,
        "not json",
    ] {
        let response = app
            .with_token(Method::POST, &room_rules, &staff)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{raw}: {status}");
    }
    // A rule of another room, or none at all, is not this room's.
    let district = app.token("demo-district").await;
    let huale = rules_of(&app, &district, 2).await;
    let huale_rule = huale["rules"][0]["id"].as_i64().unwrap();
    let (status, _) = call(
        &app,
        &district,
        Method::POST,
        &format!("{room_rules}/{huale_rule}/versions"),
        Some(json!({ "title": "制度", "text": "正文", "effective_from": "2027-01-01" })),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = call(
        &app,
        &staff,
        Method::POST,
        &format!("{room_rules}/999/versions"),
        Some(json!({ "title": "制度", "text": "正文", "effective_from": "2027-01-01" })),
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = call(
        &app,
        &staff,
        Method::POST,
        &format!("{room_rules}/adopt"),
        Some(json!({ "template_id": 999, "effective_from": "2026-12-01" })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        rules_of(&app, &staff, HONGQIAO_ROOM).await,
        before,
        "nothing was written"
    );
}

async fn two_revisions_at_once_land_one(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let demo = rules_of(&app, &staff, HONGQIAO_ROOM).await;
    let duty = rule(&demo, "洪桥街工作室委员值班制度")["id"].as_i64().unwrap();
    let path = format!("/api/v1/rooms/{HONGQIAO_ROOM}/rules/{duty}/versions");
    let requests = (0..12)
        .map(|i| {
            app.with_token(Method::POST, &path, &staff).json(&json!({
                "title": "洪桥街工作室委员值班制度",
                "text": format!("第 {i} 种修订"),
                "effective_from": "2027-01-01",
                "based_on": 2,
            }))
        })
        .collect();
    let statuses = statuses_in_parallel(requests).await;
    assert_eq!(count_of(&statuses, 201), 1, "{statuses:?}");
    assert_eq!(count_of(&statuses, 409), 11, "{statuses:?}");
    let after = rules_of(&app, &staff, HONGQIAO_ROOM).await;
    assert_eq!(
        rule(&after, "洪桥街工作室委员值班制度")["versions"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Without `based_on` each one is checked against the version it read: still one lands per version.
    let district = app.token("demo-district").await;
    let (_, created) = call(
        &app,
        &district,
        Method::POST,
        &format!("/api/v1/districts/{YUEXIU}/rule-templates"),
        Some(json!({ "title": "并发模板", "text": "正文", "effective_from": "2026-12-01" })),
    )
    .await;
    let adopt = format!("/api/v1/rooms/{HONGQIAO_ROOM}/rules/adopt");
    let requests = (0..8)
        .map(|_| {
            app.with_token(Method::POST, &adopt, &staff)
                .json(&json!({ "template_id": created["id"], "effective_from": "2026-12-01" }))
        })
        .collect();
    let statuses = statuses_in_parallel(requests).await;
    assert_eq!(count_of(&statuses, 201), 1, "{statuses:?}");
    assert_eq!(count_of(&statuses, 409), 7, "{statuses:?}");
}

async fn the_pages_write_revise_and_show_a_refusal_with_what_was_typed(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (page, csrf) = app.page_session("demo-staff").await;
    let url = app.url(&format!("/admin/rooms/{HONGQIAO_ROOM}/rules"));
    let html = common::get_text(&page, &url).await;
    for expected in [
        "洪桥街工作室委员值班制度",
        "历次版本（共 2 版）",
        "区制度模板已更新到第 2 版",
        "工作室台账管理制度",
        "采用此模板",
        "新增本工作室制度",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    let response = page
        .post(&url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("step", "add"),
            ("title", "接待礼仪制度"),
            ("text", "一、文明接待，耐心倾听。"),
            ("effective_from", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("请填写生效日期"), "{html}");
    assert!(
        html.contains("一、文明接待，耐心倾听。"),
        "what was typed is shown again"
    );
    let response = page
        .post(&url)
        .form(&[
            ("csrf", "wrong"),
            ("step", "add"),
            ("title", "接待礼仪制度"),
            ("text", "一、文明接待，耐心倾听。"),
            ("effective_from", "2026-12-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let response = page
        .post(&url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("step", "add"),
            ("title", "接待礼仪制度"),
            ("text", "一、文明接待，耐心倾听。"),
            ("effective_from", "2026-12-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let html = common::get_text(&page, &url).await;
    assert!(html.contains("接待礼仪制度"));

    // The district's page of templates; a member reads the room's rules without any form.
    let (district_page, _) = app.page_session("demo-district").await;
    let html = common::get_text(&district_page, &app.url("/admin/rule-templates")).await;
    assert!(
        html.contains("越秀区工作室制度模板")
            && html.contains("已有 1 个工作室采用")
            && html.contains("发布新模板"),
        "{html}"
    );
    let (member_page, _) = app.page_session("demo-member").await;
    let html = common::get_text(&member_page, &url).await;
    assert!(html.contains("洪桥街工作室委员值班制度"));
    assert!(
        !html.contains("<form method=\"post\" action=\"/admin/rooms"),
        "{html}"
    );
}

on_both_databases!(
    a_room_writes_and_revises_its_rules_keeping_every_version,
    a_district_publishes_templates_that_rooms_adopt_and_follow,
    who_may_read_and_write_rules,
    bad_input_is_refused_and_nothing_is_written,
    two_revisions_at_once_land_one,
    the_pages_write_revise_and_show_a_refusal_with_what_was_typed,
);
